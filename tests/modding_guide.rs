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
