//! Generated galaxies for tests and benchmarks: any number of sectors, factions and fleets,
//! with wars, block cease-fires, alliances, a joint command and links, all from a seed.

use std::collections::VecDeque;
use std::sync::Arc;

use hexx::Hex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::calendar::{Calendar, Date};
use super::character::Fate;
use super::dice::Dice;
use super::diplomacy::{Clause, Diplomacy, JointCommand, Stance};
use super::faction::{Archetype, Personality};
use super::fleet::Task;
use super::galaxy::{Galaxy, Link, LinkKind, SectorBlock, SectorPlace};
use super::ids::{BlockId, CharacterId, FactionId, FleetId, SectorId};
use super::rules::Rules;
use super::scenario::{Goals, Objective, ScenarioInfo};
use super::state::{CharacterState, FactionState, FleetState, SectorState, WorldState};

/// The size and seed of a generated galaxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GalaxyParams {
    /// Sectors on the map.
    pub sectors: usize,
    /// Factions sharing it.
    pub factions: usize,
    /// Fleets at the start.
    pub fleets: usize,
    /// Turns the scenario lasts.
    pub turns: u32,
    /// Seed for the layout and for the game's dice.
    pub seed: u64,
}

impl GalaxyParams {
    /// A galaxy with factions and fleets in the proportions of the design's benchmark:
    /// 24 factions and 2,000 fleets per 10,000 sectors.
    pub fn proportional(sectors: usize, seed: u64) -> Self {
        Self {
            sectors,
            factions: (sectors * 24 / 10_000).max(2),
            fleets: (sectors / 5).max(2),
            turns: 100,
            seed,
        }
    }
}

/// Wars each faction fights at the start, on average, at every size: about half the
/// neighbours of a faction inland on a large map (one off the map's edge borders five or six).
const WARS_PER_FACTION: f64 = 2.7;

/// Side of the square of sectors that make one block.
const BLOCK_SIDE: usize = 6;

/// Generates a galaxy.
pub fn generate(params: GalaxyParams) -> WorldState {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed ^ 0x6b68_6974_6f6d_6572);
    let n = params.sectors.max(1);
    let width = (n as f64).sqrt().ceil() as usize;
    let height = n.div_ceil(width);
    // Sectors are numbered tile by tile (8 by 8), as a scenario lists its sectors region by
    // region: sectors near on the map are near in every per-sector table.
    const TILE: usize = 8;
    let tiles_across = width.div_ceil(TILE);
    let cells: Vec<(usize, usize)> = (0..)
        .map(|k: usize| {
            let (tile, within) = (k / (TILE * TILE), k % (TILE * TILE));
            (
                (tile % tiles_across) * TILE + within % TILE,
                (tile / tiles_across) * TILE + within / TILE,
            )
        })
        .filter(|&(col, row)| col < width && row < height.div_ceil(TILE) * TILE)
        .take(n)
        .collect();
    // The last band of tiles may reach below `height` rows: the blocks cover every row used.
    let rows = cells.iter().map(|&(_, row)| row + 1).max().unwrap_or(1);
    let blocks_across = width.div_ceil(BLOCK_SIDE);
    let block_rows = rows.div_ceil(BLOCK_SIDE);
    let blocks: Vec<SectorBlock> = (0..blocks_across * block_rows)
        .map(|i| SectorBlock {
            key: format!("block_{i}"),
            name: format!("Block {i}"),
        })
        .collect();
    let places: Vec<SectorPlace> = (0..n)
        .map(|i| {
            let (col, row) = cells[i];
            // Offset rows so the map is a rectangle on screen, not a rhombus.
            let hex = Hex::new(col as i32 - (row as i32) / 2, row as i32);
            let block = (row / BLOCK_SIDE) * blocks_across + col / BLOCK_SIDE;
            SectorPlace {
                key: format!("s{i}").into(),
                name: format!("Sector {i}").into(),
                hex,
                block: BlockId::from_index(block),
                systems: Arc::new([]),
                outside: false,
            }
        })
        .collect();

    let link_count = (n / 500).max(1);
    let links: Vec<Link> = (0..link_count)
        .map(|i| {
            let a = SectorId::from_index(rng.random_range(0..n));
            let b = SectorId::from_index(rng.random_range(0..n));
            Link {
                key: format!("gateway_{i}"),
                name: format!("Gateway {i}"),
                kind: LinkKind::Gateway,
                ends: [a, b],
                open: rng.random_bool(0.75),
            }
        })
        .filter(|l| l.ends[0] != l.ends[1])
        .collect();
    let galaxy = Galaxy::new(blocks.clone(), places.clone(), Vec::new());

    // Territories: each faction grows from a capital; the nearest capital takes a sector.
    let nf = params.factions.max(1);
    let mut capitals: Vec<SectorId> = Vec::with_capacity(nf);
    while capitals.len() < nf.min(n) {
        let s = SectorId::from_index(rng.random_range(0..n));
        if !capitals.contains(&s) {
            capitals.push(s);
        }
    }
    let mut territory: Vec<Option<FactionId>> = vec![None; n];
    let mut queue = VecDeque::new();
    for (f, &c) in capitals.iter().enumerate() {
        territory[c.index()] = Some(FactionId::from_index(f));
        queue.push_back(c);
    }
    while let Some(at) = queue.pop_front() {
        for &next in galaxy.neighbours(at) {
            if territory[next.index()].is_none() {
                territory[next.index()] = territory[at.index()];
                queue.push_back(next);
            }
        }
    }
    let sectors: Vec<SectorState> = places
        .into_iter()
        .enumerate()
        .map(|(i, place)| {
            let capital = capitals.contains(&SectorId::from_index(i));
            let neutral = !capital && rng.random_bool(0.08);
            SectorState {
                place,
                owner: if neutral { None } else { territory[i] },
                industry: if capital { 8 } else { rng.random_range(0..=4) },
                shipyard: capital || rng.random_bool(0.03),
                occupation: None,
            }
        })
        .collect();

    // Relations: some neighbours are at war, with cease-fires in some of the blocks they
    // share. The wars are a fixed number per faction, drawn among the pairs that share a
    // border: a small map has more of its factions on its edge, with fewer neighbours, so
    // that neighbours at war by a fixed chance gave a map ten times as large more than ten
    // times the wars (the 10,000-sector map 2.0 a faction, the 100,000-sector map 2.7).
    let mut diplomacy = Diplomacy::new(nf);
    let mut borders: Vec<(FactionId, FactionId, BlockId)> = Vec::new();
    for i in 0..n {
        let s = SectorId::from_index(i);
        for &t in galaxy.neighbours(s) {
            if let (Some(a), Some(b)) = (territory[i], territory[t.index()])
                && a < b
            {
                borders.push((a, b, galaxy.block_of(s)));
            }
        }
    }
    borders.sort_unstable();
    borders.dedup();
    let mut pairs: Vec<(FactionId, FactionId)> = borders.iter().map(|&(a, b, _)| (a, b)).collect();
    pairs.dedup();
    let wars = ((nf as f64 * WARS_PER_FACTION / 2.0).round() as usize).min(pairs.len());
    for k in rand::seq::index::sample(&mut rng, pairs.len(), wars) {
        let (a, b) = pairs[k];
        diplomacy.set_stance(a, b, Stance::War, 0);
    }
    for &(a, b, block) in &borders {
        if diplomacy.at_war(a, b) && rng.random_bool(0.2) {
            diplomacy.add_ceasefire_blocks(a, b, &[block]);
        }
    }
    let mut scratch = Vec::new();
    for i in 0..nf / 6 {
        let (a, b) = (
            FactionId::from_index(2 * i),
            FactionId::from_index(2 * i + 1),
        );
        if b.index() >= nf || diplomacy.at_war(a, b) {
            continue;
        }
        diplomacy.sign(
            format!("Pact {i}"),
            vec![a, b],
            vec![Clause::FormAlliance {
                key: format!("alliance_{i}"),
                name: format!("Alliance {i}"),
            }],
            0,
            &mut scratch,
        );
    }
    if let Some(first) = diplomacy.alliances.first_mut() {
        let members = first.members.clone();
        first.commands.push(JointCommand {
            key: "task_force".into(),
            name: "Task Force".into(),
            members,
            commander: None,
        });
    }

    let factions: Vec<FactionState> = (0..nf)
        .map(|f| FactionState {
            key: format!("faction_{f}"),
            name: format!("Faction {f}"),
            colour: [rng.random(), rng.random(), rng.random()],
            capital: capitals.get(f).copied(),
            treasury: 50,
            personality: Personality {
                archetype: Archetype::ALL[f % Archetype::ALL.len()],
                aggression: rng.random_range(20..=90),
                caution: rng.random_range(20..=90),
                honour: rng.random_range(20..=90),
            },
            defeated: None,
        })
        .collect();
    let characters: Vec<CharacterState> = (0..nf)
        .map(|f| CharacterState {
            key: format!("leader_{f}"),
            name: format!("Leader {f}"),
            faction: Some(FactionId::from_index(f)),
            role: "Admiral".into(),
            fate: Fate::default(),
        })
        .collect();

    let mut owned: Vec<Vec<SectorId>> = vec![Vec::new(); nf];
    for (i, s) in sectors.iter().enumerate() {
        if let Some(o) = s.owner {
            owned[o.index()].push(SectorId::from_index(i));
        }
    }
    // Each faction's fleets are listed together, as a scenario lists a power's fleets, and
    // its first fleet is commanded by its leader.
    let owner_of = |i: usize| FactionId::from_index(i * nf / params.fleets.max(1));
    let fleets: Vec<FleetState> = (0..params.fleets)
        .map(|i| {
            let owner = owner_of(i);
            let home = &owned[owner.index()];
            let sector = if home.is_empty() {
                SectorId::from_index(rng.random_range(0..n))
            } else {
                home[rng.random_range(0..home.len())]
            };
            FleetState {
                id: FleetId::from_index(i),
                key: format!("fleet_{i}"),
                name: format!("Fleet {i}"),
                owner,
                sector,
                strength: rng.random_range(10..=60),
                speed: rng.random_range(1..=3),
                commander: (i == 0 || owner_of(i - 1) != owner)
                    .then(|| CharacterId::from_index(owner.index())),
                task: Task::Hold,
                assignment: None,
            }
        })
        .collect();

    WorldState {
        scenario: ScenarioInfo {
            id: format!("generated_{}_{}", n, params.seed),
            title: format!("Generated galaxy of {n} sectors"),
            playable: (0..nf).map(FactionId::from_index).collect(),
            goals: (0..nf)
                .map(|f| Goals {
                    faction: FactionId::from_index(f),
                    objectives: vec![Objective::Survive],
                })
                .collect(),
            outcome: None,
            seed: params.seed,
        },
        calendar: Calendar {
            start: Date::new(2409, 1),
            turn: 1,
            last_turn: params.turns,
        },
        rules: Rules::default(),
        dice: Dice::from_seed(params.seed).state(),
        blocks,
        sectors,
        links,
        factions,
        characters,
        next_fleet: params.fleets as u32,
        fleets,
        diplomacy,
        script: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size makes a world the loader's own checks accept: every sector in a block that
    /// exists, fleets in order, owners and commanders that exist.
    #[test]
    fn generated_worlds_are_valid_at_every_size() {
        for sectors in [1, 2, 7, 64, 65, 1_000, 10_000, 12_345] {
            let world = generate(GalaxyParams::proportional(sectors, 5));
            assert_eq!(world.sectors.len(), sectors);
            if let Err(why) = super::super::validate::validate(&world) {
                panic!("{sectors} sectors: {why}");
            }
            let mut hexes: Vec<_> = world.sectors.iter().map(|s| s.place.hex).collect();
            hexes.sort_unstable_by_key(|h| (h.x, h.y));
            hexes.dedup();
            assert_eq!(hexes.len(), sectors, "one sector to a hex");
        }
    }

    /// A map ten times as large has ten times the wars, not more: the same number per faction
    /// at every size, each between factions that share a border.
    #[test]
    fn every_size_has_as_many_wars_per_faction() {
        for (sectors, seed) in [(2_000, 1), (10_000, 2409), (20_000, 3)] {
            let world = generate(GalaxyParams::proportional(sectors, seed));
            let galaxy = Galaxy::new(
                world.blocks.clone(),
                world.sectors.iter().map(|s| s.place.clone()).collect(),
                Vec::new(),
            );
            let mut bordering = std::collections::BTreeSet::new();
            for (i, s) in world.sectors.iter().enumerate() {
                for &t in galaxy.neighbours(SectorId::from_index(i)) {
                    if let (Some(a), Some(b)) = (s.owner, world.sectors[t.index()].owner)
                        && a != b
                    {
                        bordering.insert((a.min(b), a.max(b)));
                    }
                }
            }
            let nf = world.factions.len();
            let wars: Vec<_> = (0..nf)
                .flat_map(|a| (a + 1..nf).map(move |b| (a, b)))
                .map(|(a, b)| (FactionId::from_index(a), FactionId::from_index(b)))
                .filter(|&(a, b)| world.diplomacy.at_war(a, b))
                .collect();
            let expected = (nf as f64 * WARS_PER_FACTION / 2.0).round() as usize;
            assert_eq!(wars.len(), expected, "{sectors} sectors, {nf} factions");
            assert!(
                wars.iter().all(|pair| bordering.contains(pair)),
                "{sectors} sectors: a war between factions with no border"
            );
        }
    }
}
