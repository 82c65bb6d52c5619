//! Campaign files: checked, and started as a session's chapters — each chapter's scenario
//! built into its starting world, with what it carries over from the chapter before (carried
//! over when it starts: see [`crate::session::chapter`]).

use super::check::checked_world;
use super::locate::Path;
use super::report::{Report, nearest};
use super::{FileId, Library, Placed};
use crate::content::raw::CampaignFile;
use crate::session::ChapterStart;

/// Checks a campaign: it has chapters, each names a scenario, and the first carries nothing.
pub fn check_campaign(lib: &Library, campaign: &Placed<CampaignFile>, report: &mut Report) {
    let file = campaign.file;
    let c = &campaign.value;
    if c.chapters.is_empty() {
        report.error_at(
            file,
            &Path::root().field("chapters"),
            format!("campaign `{}` has no chapters", c.id),
            "empty",
        );
    }
    for (i, chapter) in c.chapters.iter().enumerate() {
        let path = Path::root().field("chapters").index(i);
        if lib.scenario(&chapter.scenario).is_none() {
            let hint = nearest(&chapter.scenario, lib.scenarios.iter().map(|s| s.id()));
            let d = report.error_at(
                file,
                &path.field("scenario"),
                format!("unknown scenario `{}`", chapter.scenario),
                format!("chapter {} of `{}`", i + 1, c.id),
            );
            d.code = Some("unknown-id".into());
            if let Some(h) = hint {
                d.notes.push(format!("did you mean `{h}`?"));
            }
        }
        if i == 0 && !chapter.carry.is_empty() {
            report.error_at(
                file,
                &path.field("carry"),
                "the first chapter has nothing before it to carry over",
                "nothing to carry",
            );
        }
    }
}

/// A campaign ready to play: every chapter's starting world, the seed of the game, and the
/// files it is made of (for a replay's fingerprint).
pub struct CampaignStart {
    /// The chapters, each as its scenario starts.
    pub chapters: Vec<ChapterStart>,
    /// The game's seed: the first chapter's.
    pub seed: u64,
    /// The campaign file and every file its scenarios use, sorted.
    pub files: Vec<FileId>,
    /// Warnings about its chapters' files; play goes on.
    pub warnings: Report,
}

/// Starts the campaign `id` of the library, or says why it cannot start. Chapter `k` is played
/// with its own `seed` (by default the first chapter's seed plus `k`), shifted by as much as
/// `seed` moves the first chapter's from its default.
pub fn start_campaign(
    lib: &Library,
    id: &str,
    seed: Option<u64>,
) -> Option<Result<CampaignStart, Report>> {
    let campaign = lib.campaign(id)?;
    let mut report = Report {
        sources: lib.report.sources.clone(),
        diagnostics: Vec::new(),
    };
    check_campaign(lib, campaign, &mut report);
    if report.has_errors() {
        return Some(Err(report));
    }
    let first = lib
        .scenario(&campaign.value.chapters[0].scenario)
        .map_or(0, |s| s.scenario.value.seed);
    let base = seed.unwrap_or(first);
    let mut chapters = Vec::new();
    let mut files = vec![campaign.file];
    let mut warnings = Report {
        sources: lib.report.sources.clone(),
        diagnostics: Vec::new(),
    };
    for (k, chapter) in campaign.value.chapters.iter().enumerate() {
        let index = lib
            .scenarios
            .iter()
            .position(|s| s.id() == chapter.scenario)
            .expect("a checked campaign names only known scenarios");
        let own = chapter.seed.unwrap_or(first.wrapping_add(k as u64));
        let seed = Some(own.wrapping_add(base.wrapping_sub(first)));
        let world = match checked_world(lib, index, seed) {
            Ok(checked) => {
                for w in checked.warnings.diagnostics {
                    if !warnings.diagnostics.contains(&w) {
                        warnings.diagnostics.push(w);
                    }
                }
                checked.world
            }
            Err(report) => return Some(Err(report)),
        };
        files.extend(lib.files_of_scenario(index));
        chapters.push(ChapterStart {
            world,
            carry: chapter.carry.clone(),
        });
    }
    files.sort_unstable();
    files.dedup();
    Some(Ok(CampaignStart {
        chapters,
        seed: base,
        files,
        warnings,
    }))
}
