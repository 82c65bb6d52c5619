//! Structure-aware fuzzing of everything the game reads: scenario, map and roster files, mods,
//! saves and replays. Each case takes a good input — a shipped file, the example mod, a save
//! or a replay of a short game — changes it a few times, in its bytes and in its values (ids,
//! counts, numbers at their limits), and feeds it to the game the way its command would: the
//! checker, the save loader, the replayer. Then, if the input was accepted, a turn or two are
//! played. A case passes when it ends in a clean refusal or a game that plays; a panic is a
//! finding, reported with the case's number and the changes made, so that it can be run
//! again alone.
//!
//! `cargo test` runs a few thousand cases (`tests/fuzz.rs`); `cargo run --release --example
//! fuzz -- --cases 100000` runs as many as asked on every core.

mod save;
pub mod text;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::content::check::check_all;
use crate::content::{ContentKind, ContentPaths, Library, build_world, parse_text};
use crate::core::game::Game;
use crate::core::seat::{Policy, Seats};
use crate::driver::Driver;
use crate::record::replay::{Replay, readable};
use crate::record::save::{self as saves, SaveFile};
use crate::session::{ChapterStart, Session};

/// What a case feeds the game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A shipped scenario, map or roster file, checked with every other and played.
    Content,
    /// The example mod's manifest and patch, layered over the base game.
    Mod,
    /// A save, its checksum right.
    Save,
    /// A replay, played back turn by turn.
    Replay,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 4] = [Target::Content, Target::Mod, Target::Save, Target::Replay];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Target::Content => "content",
            Target::Mod => "mod",
            Target::Save => "save",
            Target::Replay => "replay",
        }
    }

    /// The target of a name.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// How a case ended, when it did not panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The input was refused with an error.
    Refused,
    /// The input was accepted and played.
    Played,
}

/// The good inputs the cases change.
pub struct Corpus {
    root: PathBuf,
    content: Vec<(ContentKind, String, Vec<u8>)>,
    mod_files: Vec<(PathBuf, Vec<u8>)>,
    saves: Vec<Vec<u8>>,
    replay: String,
    base: Library,
}

fn read_dir_sorted(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.sort();
    Ok(paths)
}

fn scenario_index(lib: &Library, id: &str) -> Result<usize, String> {
    lib.scenarios
        .iter()
        .position(|s| s.id() == id)
        .ok_or_else(|| format!("the scenario `{id}` is not shipped"))
}

impl Corpus {
    /// The corpus from the game's files under `root`: every shipped content file, the example
    /// mod, saves of three scenarios after a few turns and a replay of a short game.
    pub fn new(root: &Path) -> Result<Corpus, String> {
        let io = |e: std::io::Error| e.to_string();
        let mut content = Vec::new();
        for (kind, dir) in [
            (ContentKind::Map, "assets/maps"),
            (ContentKind::Roster, "assets/factions"),
            (ContentKind::Scenario, "scenarios"),
        ] {
            for p in read_dir_sorted(&root.join(dir)).map_err(io)? {
                content.push((
                    kind,
                    p.display().to_string(),
                    std::fs::read(&p).map_err(io)?,
                ));
            }
        }
        let mod_dir = root.join("mods/klingon_refusal");
        let mut mod_files = vec![(
            PathBuf::from("mod.ron"),
            std::fs::read(mod_dir.join("mod.ron")).map_err(io)?,
        )];
        for p in read_dir_sorted(&mod_dir.join("patches")).map_err(io)? {
            let name = p.file_name().expect("a file").into();
            mod_files.push((
                PathBuf::from("patches").join::<PathBuf>(name),
                std::fs::read(&p).map_err(io)?,
            ));
        }
        let base = Library::load(&ContentPaths::under(root));
        let mut saves = Vec::new();
        for (id, turns) in [
            ("tau_dewa_2409", 3),
            ("khitomer_discord", 4),
            ("second_wave", 6),
        ] {
            let world = build_world(&base, scenario_index(&base, id)?, Some(7))
                .map_err(|_| format!("the scenario `{id}` does not build"))?;
            let start = world.clone();
            let mut driver = Driver::new(Session::single(world), Seats::ai(Policy::Strategic));
            for _ in 0..turns {
                let _ = driver.resolve();
            }
            saves.push(saves::encode(&SaveFile {
                game: "fuzz".into(),
                play: id.into(),
                mods: Vec::new(),
                seed: 7,
                seats: driver.seats().clone(),
                chapter: 0,
                chapters: vec![ChapterStart {
                    world: start,
                    carry: Vec::new(),
                }],
                world: driver.game().state(),
            }));
        }
        let opened = crate::cli::find::open_session(&mut base.clone(), "surface_tension", Some(5))
            .map_err(|_| "the scenario `surface_tension` does not open".to_owned())?;
        let mut seats = Seats::ai(Policy::Strategic);
        seats.taken.insert(
            "federation".into(),
            crate::core::seat::Seat::Ai(Policy::Historical),
        );
        let replay = Replay::new(
            "surface_tension".into(),
            Vec::new(),
            base.fingerprint(&opened.files),
            5,
            seats.clone(),
        );
        let mut driver = Driver::new(opened.session, seats).record_into(replay);
        for _ in 0..5 {
            let _ = driver.resolve();
        }
        let replay = driver
            .take_recording()
            .ok_or("the game was not recorded")?
            .to_ron();
        Ok(Corpus {
            root: root.to_path_buf(),
            content,
            mod_files,
            saves,
            replay,
            base,
        })
    }

    /// Runs one case: the input of `target` changed by the generator seeded with `seed`.
    /// Returns the changes made and how it ended, or the panic's message.
    pub fn case(
        &self,
        target: Target,
        seed: u64,
        scratch: &Path,
    ) -> (Vec<String>, Result<Verdict, String>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut changes = Vec::new();
        let result = catch_unwind(AssertUnwindSafe(|| match target {
            Target::Content => self.content_case(&mut rng, &mut changes),
            Target::Mod => self.mod_case(&mut rng, &mut changes, scratch),
            Target::Save => self.save_case(&mut rng, &mut changes),
            Target::Replay => self.replay_case(&mut rng, &mut changes),
        }));
        let result = result.map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic with no message".into())
        });
        (changes, result)
    }

    fn content_case(&self, rng: &mut ChaCha8Rng, changes: &mut Vec<String>) -> Verdict {
        let which = rng.random_range(0..self.content.len());
        let mut lib = Library::default();
        for (i, (kind, name, bytes)) in self.content.iter().enumerate() {
            let mut bytes = bytes.clone();
            if i == which {
                for _ in 0..rng.random_range(1..=3) {
                    changes.push(format!("{name}: {}", text::mutate(&mut bytes, rng)));
                }
            }
            lib.add_bytes(*kind, name, bytes);
        }
        check_and_play(&lib, rng)
    }

    fn mod_case(&self, rng: &mut ChaCha8Rng, changes: &mut Vec<String>, scratch: &Path) -> Verdict {
        let dir = scratch.join("mod");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("patches")).expect("the scratch folder is writable");
        let which = rng.random_range(0..self.mod_files.len());
        for (i, (name, bytes)) in self.mod_files.iter().enumerate() {
            let mut bytes = bytes.clone();
            if i == which {
                for _ in 0..rng.random_range(1..=3) {
                    changes.push(format!(
                        "{}: {}",
                        name.display(),
                        text::mutate(&mut bytes, rng)
                    ));
                }
            }
            std::fs::write(dir.join(name), bytes).expect("the scratch folder is writable");
        }
        let lib = Library::load_with_mods(&ContentPaths::under(&self.root), &[dir]);
        check_and_play(&lib, rng)
    }

    fn save_case(&self, rng: &mut ChaCha8Rng, changes: &mut Vec<String>) -> Verdict {
        let base = &self.saves[rng.random_range(0..self.saves.len())];
        let mut save = saves::decode(base).expect("the corpus's saves read");
        let bytes = if rng.random_bool(0.6) {
            for _ in 0..rng.random_range(1..=2) {
                changes.push(save::mutate(&mut save, rng));
            }
            saves::encode(&save)
        } else {
            // Bytes of the payload changed, and the checksum made right again.
            let bytes = saves::encode(&save);
            let header = bytes.len() - postcard::to_allocvec(&save).expect("in memory").len();
            let mut payload = bytes[header..].to_vec();
            for _ in 0..rng.random_range(1..=3) {
                let at = rng.random_range(0..payload.len());
                let delta = rng.random_range(1..=255u8);
                payload[at] = payload[at].wrapping_add(delta);
                changes.push(format!("payload byte {at} + {delta}"));
            }
            let mut bytes = bytes[..header - 32].to_vec();
            bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
            bytes.extend_from_slice(&payload);
            bytes
        };
        let Ok(loaded) = saves::decode(&bytes) else {
            return Verdict::Refused;
        };
        let mut seats = loaded.seats.clone();
        seats.taken.retain(|_, s| !s.is_person());
        let mut driver = Driver::new(
            Session::resume(loaded.chapters, loaded.chapter, loaded.world),
            seats,
        );
        for _ in 0..2 {
            if driver.chapter_over() && !driver.next_chapter() {
                break;
            }
            if driver.resolve().is_err() {
                break;
            }
        }
        let _ = crate::record::digest::digests(&driver.game().state());
        Verdict::Played
    }

    fn replay_case(&self, rng: &mut ChaCha8Rng, changes: &mut Vec<String>) -> Verdict {
        let mut bytes = self.replay.clone().into_bytes();
        for _ in 0..rng.random_range(1..=3) {
            changes.push(text::mutate(&mut bytes, rng));
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return Verdict::Refused;
        };
        let mut report = crate::content::report::Report::default();
        let file = report.sources.add("fuzzed.ron".into(), text);
        let replay: Option<Replay> = parse_text(&mut report, file, "a replay");
        let _ = report.render(false);
        let Some(replay) = replay.filter(|r| readable(r.format)) else {
            return Verdict::Refused;
        };
        let mut lib = self.base.clone();
        let Ok(opened) = crate::cli::find::open_session(&mut lib, &replay.play, Some(replay.seed))
        else {
            return Verdict::Refused;
        };
        let mut driver = Driver::new(opened.session, replay.seats.clone());
        for record in &replay.turns {
            match driver.replay_turn(record) {
                Ok(turn) if turn.parting.is_none() => {}
                _ => return Verdict::Refused,
            }
        }
        Verdict::Played
    }
}

/// Checks a library; if it is clean, builds every scenario and plays a turn of one.
fn check_and_play(lib: &Library, rng: &mut ChaCha8Rng) -> Verdict {
    let report = check_all(lib);
    let _ = report.render(false);
    if report.has_errors() {
        return Verdict::Refused;
    }
    let play = rng.random_range(0..lib.scenarios.len().max(1));
    for i in 0..lib.scenarios.len() {
        let world = build_world(lib, i, None)
            .unwrap_or_else(|_| panic!("`check` found no error, yet scenario {i} does not build"));
        if i == play {
            let mut game = Game::new(world);
            let _ = game.play_turn();
        }
    }
    Verdict::Played
}

/// A case that panicked.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Its target.
    pub target: Target,
    /// Its number.
    pub case: u64,
    /// The changes made to the input.
    pub changes: Vec<String>,
    /// The panic's message.
    pub message: String,
}

/// Counts for one target.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    /// Cases run.
    pub cases: u64,
    /// Inputs refused with an error.
    pub refused: u64,
    /// Inputs accepted and played.
    pub played: u64,
    /// Cases that panicked.
    pub panicked: u64,
}

/// What a run found.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Counts per target, in [`Target::ALL`]'s order.
    pub tallies: [Tally; 4],
    /// Every case that panicked.
    pub findings: Vec<Finding>,
    /// The slowest case: its time, target and number.
    pub slowest: Option<(Duration, Target, u64)>,
}

impl Summary {
    /// Every count added up.
    pub fn total(&self) -> Tally {
        self.tallies.iter().fold(Tally::default(), |a, t| Tally {
            cases: a.cases + t.cases,
            refused: a.refused + t.refused,
            played: a.played + t.played,
            panicked: a.panicked + t.panicked,
        })
    }
}

/// The seed of case `case` of a run seeded with `seed`.
pub fn case_seed(seed: u64, case: u64) -> u64 {
    seed ^ case.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The target of case `case` when running `targets` in turn.
pub fn case_target(targets: &[Target], case: u64) -> Target {
    targets[(case % targets.len() as u64) as usize]
}

/// Runs cases `first..first + count` over `targets` on `threads` threads, each with its own
/// scratch folder under `scratch`; `done` is called after every case.
pub fn run(
    corpus: &Corpus,
    targets: &[Target],
    seed: u64,
    cases: std::ops::Range<u64>,
    threads: usize,
    scratch: &Path,
    done: &(dyn Fn() + Sync),
) -> Summary {
    let next = AtomicU64::new(cases.start);
    let summary = Mutex::new(Summary::default());
    std::thread::scope(|s| {
        for t in 0..threads.max(1) {
            let (next, summary, cases) = (&next, &summary, cases.clone());
            let dir = scratch.join(format!("worker-{t}"));
            s.spawn(move || {
                loop {
                    let case = next.fetch_add(1, Ordering::Relaxed);
                    if case >= cases.end {
                        break;
                    }
                    let target = case_target(targets, case);
                    let started = Instant::now();
                    let (changes, result) = corpus.case(target, case_seed(seed, case), &dir);
                    let took = started.elapsed();
                    let mut s = summary.lock().unwrap_or_else(|e| e.into_inner());
                    let tally = &mut s.tallies[target as usize];
                    tally.cases += 1;
                    match result {
                        Ok(Verdict::Refused) => tally.refused += 1,
                        Ok(Verdict::Played) => tally.played += 1,
                        Err(message) => {
                            tally.panicked += 1;
                            s.findings.push(Finding {
                                target,
                                case,
                                changes,
                                message,
                            });
                        }
                    }
                    if s.slowest.is_none_or(|(d, _, _)| took > d) {
                        s.slowest = Some((took, target, case));
                    }
                    drop(s);
                    done();
                }
                let _ = std::fs::remove_dir_all(&dir);
            });
        }
    });
    let mut summary = summary.into_inner().unwrap_or_else(|e| e.into_inner());
    summary.findings.sort_by_key(|f| f.case);
    summary
}
