//! docs/MODDING.md cannot drift from the game: every example in its reference parses as what
//! its heading names, every trigger, condition, effect, clause and objective the game knows
//! has an entry, and the walkthrough shows the example mod's files exactly.

use std::path::Path;

use khitomer::content::raw::{
    ClauseDef, ConditionDef, EffectDef, EventDef, ObjectiveDef, PactDef, TriggerDef,
};
use serde::de::DeserializeOwned;

fn guide() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/MODDING.md")).unwrap()
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ron::error::SpannedError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
}

/// (heading, first ron block under it) for every `### ` entry of a `## ` section.
fn entries(section: &str) -> Vec<(String, String)> {
    let text = guide();
    let start = text
        .find(&format!("\n## {section}\n"))
        .unwrap_or_else(|| panic!("no section {section}"));
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    let body = &rest[..end];
    body.split("\n### ")
        .skip(1)
        .map(|entry| {
            let heading = entry.lines().next().unwrap().trim().to_owned();
            let block = entry
                .split("```ron\n")
                .nth(1)
                .and_then(|b| b.split("\n```").next());
            (
                heading.clone(),
                block
                    .unwrap_or_else(|| panic!("{heading} has no example"))
                    .to_owned(),
            )
        })
        .collect()
}

/// The variants serde knows for an enum: the list an unknown variant's error gives.
fn variants<T: DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
    let err = parse::<T>("NoSuchVariantAtAll")
        .expect_err("not a variant")
        .to_string();
    let expected = err
        .split("expected one of")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn check<T: DeserializeOwned + std::fmt::Debug>(section: &str) {
    let entries = entries(section);
    for (heading, block) in &entries {
        let value: T =
            parse(block).unwrap_or_else(|e| panic!("{section} / {heading}: {e}\n{block}"));
        let shown = format!("{value:?}");
        assert!(
            shown.starts_with(heading.as_str()),
            "{section} / {heading} parses as {shown}"
        );
    }
    let headings: Vec<&str> = entries.iter().map(|(h, _)| h.as_str()).collect();
    let known = variants::<T>();
    assert!(!known.is_empty());
    for v in &known {
        assert!(
            headings.contains(&v.as_str()),
            "{section} has no entry for `{v}`"
        );
    }
    for h in &headings {
        assert!(
            known.iter().any(|v| v == h),
            "{section} documents `{h}`, which the game does not know"
        );
    }
}

#[test]
fn every_trigger_is_documented_with_an_example_that_parses() {
    check::<TriggerDef>("Triggers");
}

#[test]
fn every_condition_is_documented_with_an_example_that_parses() {
    check::<ConditionDef>("Conditions");
}

#[test]
fn every_effect_is_documented_with_an_example_that_parses() {
    check::<EffectDef>("Effects");
}

#[test]
fn every_clause_is_documented_with_an_example_that_parses() {
    check::<ClauseDef>("Clauses");
}

#[test]
fn every_objective_is_documented_with_an_example_that_parses() {
    check::<ObjectiveDef>("Objectives");
}

#[test]
fn the_event_examples_parse() {
    let text = guide();
    let section = &text[text.find("\n## Events\n").unwrap()..text.find("\n## Triggers\n").unwrap()];
    let blocks: Vec<&str> = section
        .split("```ron\n")
        .skip(1)
        .map(|b| b.split("\n```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 3);
    parse::<EventDef>(blocks[0]).unwrap();
    let with_choice: EventDef = parse(blocks[1]).unwrap();
    assert!(with_choice.choice.is_some());
    parse::<PactDef>(blocks[2]).unwrap();
}

#[test]
fn the_walkthrough_shows_the_example_mod_exactly() {
    let text = guide();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("mods/klingon_refusal");
    for file in ["mod.ron", "patches/surface_tension.ron"] {
        let content = std::fs::read_to_string(root.join(file)).unwrap();
        let block = format!("```ron\n{content}```");
        assert!(
            text.contains(&block),
            "docs/MODDING.md does not show {file} as it is"
        );
    }
}

#[test]
fn the_campaign_example_parses() {
    let text = guide();
    let section =
        &text[text.find("\n## Campaigns\n").unwrap()..text.find("\n## Events\n").unwrap()];
    let block = section
        .split("```ron\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("an example");
    let campaign: khitomer::content::raw::CampaignFile = parse(block).unwrap();
    assert_eq!(campaign.chapters.len(), 2);
    assert_eq!(campaign.chapters[1].seed, Some(7));
}

// ---- The file reference ----

/// (heading, body) of every `### ` entry of the file reference.
fn reference() -> Vec<(String, String)> {
    let text = guide();
    let start = text
        .find("\n## File reference\n")
        .expect("a file reference");
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end]
        .split("\n### ")
        .skip(1)
        .map(|entry| {
            let (heading, body) = entry.split_once('\n').unwrap_or((entry, ""));
            (heading.trim().to_owned(), body.to_owned())
        })
        .collect()
}

/// The cells of each row of an entry's table, header and rule left out.
fn rows(body: &str) -> Vec<Vec<String>> {
    body.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

fn name(cell: &str) -> String {
    cell.trim_matches('`').to_owned()
}

/// The first ron example of an entry.
fn example(heading: &str, body: &str) -> String {
    body.split("```ron\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .unwrap_or_else(|| panic!("{heading} has no example"))
        .to_owned()
}

/// The fields serde knows for a struct: the list an unknown field's error gives.
fn fields<T: DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
    let err = parse::<T>("(no_such_field_at_all: 0)")
        .expect_err("not a field")
        .to_string();
    // `expected one of `a`, `b``, `expected either `a` or `b``, `expected only `a``.
    let expected = err
        .rsplit("expected ")
        .next()
        .unwrap_or_else(|| panic!("{err}"));
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

type Parser = fn(&str) -> Result<(), String>;

fn parses<T: DeserializeOwned>(text: &str) -> Result<(), String> {
    parse::<T>(text).map(|_| ()).map_err(|e| e.to_string())
}

/// Every file kind and value of the reference: its fields (or variants) and how its example
/// is read.
fn kinds() -> Vec<(&'static str, Vec<String>, Parser, bool)> {
    use khitomer::content::raw::*;
    use khitomer::core::diplomacy::Stance;
    use khitomer::core::faction::{Archetype, Personality};
    use khitomer::core::galaxy::LinkKind;
    use khitomer::core::rules::Rules;
    use khitomer::session::Carry;
    vec![
        ("Map", fields::<MapFile>(), parses::<MapFile>, false),
        ("Block", fields::<BlockDef>(), parses::<BlockDef>, false),
        ("Sector", fields::<SectorDef>(), parses::<SectorDef>, false),
        ("Link", fields::<LinkDef>(), parses::<LinkDef>, false),
        ("LinkKind", variants::<LinkKind>(), parses::<LinkKind>, true),
        (
            "Roster",
            fields::<RosterFile>(),
            parses::<RosterFile>,
            false,
        ),
        (
            "Faction",
            fields::<FactionDef>(),
            parses::<FactionDef>,
            false,
        ),
        (
            "Personality",
            fields::<Personality>(),
            parses::<Personality>,
            false,
        ),
        (
            "Character",
            fields::<CharacterDef>(),
            parses::<CharacterDef>,
            false,
        ),
        (
            "Scenario",
            fields::<ScenarioFile>(),
            parses::<ScenarioFile>,
            false,
        ),
        ("Date", fields::<DateDef>(), parses::<DateDef>, false),
        (
            "ScenarioFaction",
            fields::<ScenarioFactionDef>(),
            parses::<ScenarioFactionDef>,
            false,
        ),
        (
            "Relation",
            fields::<RelationDef>(),
            parses::<RelationDef>,
            false,
        ),
        ("Stance", variants::<Stance>(), parses::<Stance>, true),
        (
            "Archetype",
            variants::<Archetype>(),
            parses::<Archetype>,
            true,
        ),
        (
            "CeaseFire",
            fields::<CeaseFireDef>(),
            parses::<CeaseFireDef>,
            false,
        ),
        (
            "Alliance",
            fields::<AllianceDef>(),
            parses::<AllianceDef>,
            false,
        ),
        (
            "Command",
            fields::<CommandDef>(),
            parses::<CommandDef>,
            false,
        ),
        ("Fleet", fields::<FleetDef>(), parses::<FleetDef>, false),
        ("Rules", fields::<Rules>(), parses::<Rules>, false),
        ("Event", fields::<EventDef>(), parses::<EventDef>, false),
        ("Choice", fields::<ChoiceDef>(), parses::<ChoiceDef>, false),
        ("Option", fields::<OptionDef>(), parses::<OptionDef>, false),
        ("Pact", fields::<PactDef>(), parses::<PactDef>, false),
        (
            "Campaign",
            fields::<CampaignFile>(),
            parses::<CampaignFile>,
            false,
        ),
        (
            "Chapter",
            fields::<ChapterDef>(),
            parses::<ChapterDef>,
            false,
        ),
        ("Carry", variants::<Carry>(), parses::<Carry>, true),
        ("Mod", fields::<ModManifest>(), parses::<ModManifest>, false),
        ("Removal", variants::<Removal>(), parses::<Removal>, true),
        (
            "Patch",
            fields::<ScenarioPatch>(),
            parses::<ScenarioPatch>,
            false,
        ),
    ]
}

#[test]
fn every_field_and_value_of_every_file_is_in_the_reference_and_nothing_else() {
    let reference = reference();
    let kinds = kinds();
    for (heading, _) in &reference {
        assert!(
            heading == "Environment" || kinds.iter().any(|k| k.0 == heading),
            "the reference has `{heading}`, which is no kind of file or value"
        );
    }
    for (kind, known, parser, is_enum) in &kinds {
        let (_, body) = reference
            .iter()
            .find(|(h, _)| h == kind)
            .unwrap_or_else(|| panic!("the reference has no entry for `{kind}`"));
        let documented: Vec<String> = if *is_enum {
            body.lines()
                .filter_map(|l| l.strip_prefix("- `"))
                .map(|l| l.split(['`', '(']).next().unwrap().to_owned())
                .collect()
        } else {
            rows(body).iter().map(|r| name(&r[0])).collect()
        };
        for k in known {
            assert!(
                documented.contains(k),
                "the reference's `{kind}` lacks `{k}`"
            );
        }
        for d in &documented {
            assert!(
                known.contains(d),
                "the reference's `{kind}` has `{d}`, which the game does not know"
            );
        }
        if !is_enum {
            for r in rows(body) {
                assert_eq!(r.len(), 5, "`{kind}`: a row of five cells: {r:?}");
                assert!(!r[4].is_empty(), "`{kind}.{}` says what it does", r[0]);
            }
        }
        let text = example(kind, body);
        parser(&text).unwrap_or_else(|e| panic!("the example of `{kind}`: {e}\n{text}"));
    }
}

#[test]
fn the_rules_reference_gives_each_rules_default_and_range() {
    use khitomer::core::rules::Rules;
    let reference = reference();
    let (_, body) = reference.iter().find(|(h, _)| h == "Rules").unwrap();
    let rows = rows(body);
    let ranged = Rules::default().ranged();
    assert_eq!(rows.len(), ranged.len());
    for (rule, value, min, max) in ranged {
        let row = rows
            .iter()
            .find(|r| name(&r[0]) == rule)
            .unwrap_or_else(|| panic!("no row for `{rule}`"));
        assert_eq!(row[2], format!("`{value}`"), "the default of `{rule}`");
        assert_eq!(row[3], format!("{min} to {max}"), "the range of `{rule}`");
    }
}

#[test]
fn every_range_the_game_checks_is_the_one_documented() {
    let reference = reference();
    let guide = guide();
    for r in khitomer::content::ranges::ALL {
        let (kind, field) = r.field.split_once('.').unwrap_or((r.field, ""));
        let said = format!("{} to {}", r.min, r.max);
        match reference.iter().find(|(h, _)| h == kind) {
            Some((_, body)) => {
                let rows: Vec<Vec<String>> = rows(body)
                    .into_iter()
                    .filter(|row| field == "*" || name(&row[0]) == field)
                    .collect();
                assert!(!rows.is_empty(), "no row for `{}`", r.field);
                for row in rows {
                    assert_eq!(row[3], said, "the range of `{kind}.{}`", row[0]);
                }
            }
            None => {
                let start = guide
                    .find(&format!("\n### {kind}\n"))
                    .unwrap_or_else(|| panic!("no entry for `{kind}`"));
                let entry = &guide[start + 5..];
                let entry = &entry[..entry.find("\n### ").unwrap_or(entry.len())];
                assert!(
                    entry.contains(&format!("from {said}")),
                    "the entry `{kind}` gives the range {said}"
                );
            }
        }
    }
}

#[test]
fn the_whole_file_examples_pass_check() {
    use khitomer::content::check::check_all;
    use khitomer::content::{ContentKind, ContentPaths, Library};
    let reference = reference();
    let text = |kind: &str| {
        let (_, body) = reference.iter().find(|(h, _)| h == kind).unwrap();
        example(kind, body)
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    // A map, a roster and a scenario beside the game's own.
    let mut lib = Library::load(&ContentPaths::under(root));
    for (kind, name, what) in [
        (ContentKind::Map, "border_worlds.ron", "Map"),
        (ContentKind::Roster, "border_league.ron", "Roster"),
        (ContentKind::Scenario, "archanis_skirmish.ron", "Scenario"),
    ] {
        lib.add_bytes(kind, name, text(what).into_bytes())
            .unwrap_or_else(|| panic!("the example of `{what}` is read"));
    }
    let report = check_all(&lib);
    assert!(report.diagnostics.is_empty(), "{}", report.render(false));

    // A mod of the manifest, the patch and the campaign.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reference_mod");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("patches")).unwrap();
    std::fs::create_dir_all(dir.join("campaigns")).unwrap();
    std::fs::write(dir.join("mod.ron"), text("Mod")).unwrap();
    std::fs::write(dir.join("patches/tau_dewa.ron"), text("Patch")).unwrap();
    std::fs::write(dir.join("campaigns/two_fronts.ron"), text("Campaign")).unwrap();
    let lib = Library::load_with_mods(&ContentPaths::under(root), &[dir]);
    assert_eq!(lib.mods.len(), 1);
    assert!(lib.campaign("two_fronts").is_some());
    let report = check_all(&lib);
    assert!(report.diagnostics.is_empty(), "{}", report.render(false));
}
