//! Small worlds built in code, for tests: a row of sectors, factions, fleets, relations and
//! links, then a [`Game`] to give orders to and play. Every test of the rules starts here.

use hexx::Hex;

use super::calendar::{Calendar, Date};
use super::character::Fate;
use super::dice::Dice;
use super::diplomacy::{Clause, Diplomacy, JointCommand, Stance};
use super::faction::Personality;
use super::fleet::{Assignment, Task};
use super::galaxy::{Link, LinkKind, SectorBlock, SectorPlace};
use super::game::Game;
use super::ids::{AllianceId, BlockId, CharacterId, FactionId, FleetId, LinkId, SectorId};
use super::rules::Rules;
use super::scenario::ScenarioInfo;
use super::script::{Script, ScriptedEvent, SecretPact};
use super::state::{CharacterState, FactionState, FleetState, SectorState, WorldState};

/// A world under construction.
pub struct Sandbox {
    state: WorldState,
    treaties: Vec<(String, Vec<FactionId>, Vec<Clause>)>,
}

impl Sandbox {
    /// A row of sectors `s0, s1, ...` on hexes (0,0), (1,0), ...; `blocks[i]` names the block
    /// of sector `i` (blocks are created in order of first mention). No factions yet.
    pub fn row(blocks: &[&str]) -> Self {
        let mut block_list: Vec<SectorBlock> = Vec::new();
        let mut sectors = Vec::new();
        for (i, &b) in blocks.iter().enumerate() {
            let block = match block_list.iter().position(|x| x.key == b) {
                Some(k) => k,
                None => {
                    block_list.push(SectorBlock {
                        key: b.into(),
                        name: b.into(),
                    });
                    block_list.len() - 1
                }
            };
            sectors.push(SectorState {
                place: SectorPlace {
                    key: format!("s{i}").into(),
                    name: format!("S{i}").into(),
                    hex: Hex::new(i as i32, 0),
                    block: BlockId::from_index(block),
                    systems: std::sync::Arc::new([]),
                    outside: false,
                },
                owner: None,
                industry: 0,
                shipyard: false,
                occupation: None,
            });
        }
        Self {
            state: WorldState {
                scenario: ScenarioInfo {
                    id: "sandbox".into(),
                    title: "Sandbox".into(),
                    playable: Vec::new(),
                    goals: Vec::new(),
                    outcome: None,
                    seed: 0,
                },
                calendar: Calendar {
                    start: Date::new(2409, 1),
                    turn: 1,
                    last_turn: 100,
                },
                rules: Rules::default(),
                dice: Dice::from_seed(1).state(),
                blocks: block_list,
                sectors,
                links: Vec::new(),
                factions: Vec::new(),
                characters: Vec::new(),
                fleets: Vec::new(),
                next_fleet: 0,
                diplomacy: Diplomacy::new(0),
                script: Default::default(),
            },
            treaties: Vec::new(),
        }
    }

    /// Adds a faction with 1,000 industry saved, so that upkeep never goes unpaid unless a
    /// test says so. Add factions before relations.
    pub fn faction(&mut self, key: &str) -> FactionId {
        let id = FactionId::from_index(self.state.factions.len());
        self.state.factions.push(FactionState {
            key: key.into(),
            name: key.into(),
            colour: [200, 200, 200],
            capital: None,
            treasury: 1_000,
            personality: Personality::default(),
            defeated: None,
        });
        self.state.scenario.playable.push(id);
        let old = std::mem::replace(
            &mut self.state.diplomacy,
            Diplomacy::new(self.state.factions.len()),
        );
        debug_assert!(old.treaties.is_empty(), "add factions before relations");
        id
    }

    /// Gives a sector to a faction.
    pub fn own(&mut self, sector: usize, faction: FactionId) -> &mut Self {
        self.state.sectors[sector].owner = Some(faction);
        self
    }

    /// Sets a sector's industry.
    pub fn industry(&mut self, sector: usize, industry: u32) -> &mut Self {
        self.state.sectors[sector].industry = industry;
        self
    }

    /// Puts a shipyard in a sector.
    pub fn shipyard(&mut self, sector: usize) -> &mut Self {
        self.state.sectors[sector].shipyard = true;
        self
    }

    /// Sets a faction's treasury.
    pub fn treasury(&mut self, faction: FactionId, treasury: i64) -> &mut Self {
        self.state.factions[faction.index()].treasury = treasury;
        self
    }

    /// Adds a fleet of speed 2.
    pub fn fleet(&mut self, owner: FactionId, sector: usize, strength: u32) -> FleetId {
        let id = FleetId(self.state.next_fleet);
        self.state.next_fleet += 1;
        self.state.fleets.push(FleetState {
            id,
            key: format!("f{}", id.0),
            name: format!("F{}", id.0),
            owner,
            sector: SectorId::from_index(sector),
            strength,
            speed: 2,
            commander: None,
            task: Task::Hold,
            assignment: None,
        });
        id
    }

    /// Changes a fleet's speed.
    pub fn speed(&mut self, fleet: FleetId, speed: u8) -> &mut Self {
        self.fleet_mut(fleet).speed = speed;
        self
    }

    /// Gives a fleet a commander (a new character of its owner).
    pub fn commander(&mut self, fleet: FleetId) -> CharacterId {
        let owner = self.fleet_mut(fleet).owner;
        let id = CharacterId::from_index(self.state.characters.len());
        self.state.characters.push(CharacterState {
            key: format!("c{}", id.0),
            name: format!("C{}", id.0),
            faction: Some(owner),
            role: "Admiral".into(),
            fate: Fate::default(),
        });
        self.fleet_mut(fleet).commander = Some(id);
        id
    }

    /// Puts a fleet under a joint command.
    pub fn assign(&mut self, fleet: FleetId, alliance: AllianceId, command: u16) -> &mut Self {
        self.fleet_mut(fleet).assignment = Some(Assignment { alliance, command });
        self
    }

    fn fleet_mut(&mut self, fleet: FleetId) -> &mut FleetState {
        self.state
            .fleets
            .iter_mut()
            .find(|f| f.id == fleet)
            .expect("a fleet of this sandbox")
    }

    /// Puts two factions at war.
    pub fn war(&mut self, a: FactionId, b: FactionId) -> &mut Self {
        self.state.diplomacy.set_stance(a, b, Stance::War, 0);
        self
    }

    /// A cease-fire treaty between two factions at war, in some blocks (by name).
    pub fn ceasefire(&mut self, a: FactionId, b: FactionId, blocks: &[&str]) -> &mut Self {
        let blocks = blocks.iter().map(|name| self.block(name)).collect();
        self.treaty("Cease-fire", &[a, b], vec![Clause::CeaseFire { blocks }])
    }

    /// A treaty signed before the game, its clauses carried out in order when the game starts.
    pub fn treaty(
        &mut self,
        name: &str,
        signatories: &[FactionId],
        clauses: Vec<Clause>,
    ) -> &mut Self {
        let mut signatories = signatories.to_vec();
        signatories.sort_unstable();
        self.treaties.push((name.into(), signatories, clauses));
        self
    }

    /// A block's id by name.
    pub fn block(&self, name: &str) -> BlockId {
        BlockId::from_index(
            self.state
                .blocks
                .iter()
                .position(|b| b.key == name)
                .expect("a block of this sandbox"),
        )
    }

    /// An alliance of these factions with one joint command of all of them.
    pub fn alliance(&mut self, members: &[FactionId]) -> AllianceId {
        let d = &mut self.state.diplomacy;
        let id = d.form_alliance(
            format!("alliance_{}", d.alliances.len()),
            "Alliance".into(),
            members,
            false,
            0,
        );
        d.alliances[id.index()].commands.push(JointCommand {
            key: "joint".into(),
            name: "Joint Command".into(),
            members: members.to_vec(),
            commander: None,
        });
        id
    }

    /// An alliance of these factions that keeps the wars between them, with one joint command
    /// of all of them (Dyson Joint Command of 2409).
    pub fn theatre_alliance(&mut self, members: &[FactionId]) -> AllianceId {
        let d = &mut self.state.diplomacy;
        let id = d.form_alliance(
            format!("theatre_{}", d.alliances.len()),
            "Theatre Alliance".into(),
            members,
            true,
            0,
        );
        d.alliances[id.index()].commands.push(JointCommand {
            key: "theatre".into(),
            name: "Theatre Command".into(),
            members: members.to_vec(),
            commander: None,
        });
        id
    }

    /// A joint command of factions that need not be allies (Task Force Omega of 2409), as
    /// command 0 of an alliance of only the first of them.
    pub fn joint_command(&mut self, members: &[FactionId]) -> AllianceId {
        let d = &mut self.state.diplomacy;
        let id = d.form_alliance(
            format!("command_{}", d.alliances.len()),
            "Task Force".into(),
            &members[..1],
            false,
            0,
        );
        d.alliances[id.index()].commands.push(JointCommand {
            key: "task_force".into(),
            name: "Task Force".into(),
            members: members.to_vec(),
            commander: None,
        });
        id
    }

    /// A link between two sectors.
    pub fn link(&mut self, a: usize, b: usize, open: bool) -> LinkId {
        let id = LinkId::from_index(self.state.links.len());
        self.state.links.push(Link {
            key: format!("gate{}", id.0),
            name: format!("Gateway {}", id.0),
            kind: LinkKind::Gateway,
            ends: [SectorId::from_index(a), SectorId::from_index(b)],
            open,
        });
        id
    }

    /// Gives the world a script.
    pub fn script(&mut self, events: Vec<ScriptedEvent>, pacts: Vec<SecretPact>) -> &mut Self {
        self.state.script = Script::new(events, pacts);
        self
    }

    /// Adds a character of a faction (or of none).
    pub fn character(&mut self, faction: Option<FactionId>) -> CharacterId {
        let id = CharacterId::from_index(self.state.characters.len());
        self.state.characters.push(CharacterState {
            key: format!("c{}", id.0),
            name: format!("C{}", id.0),
            faction,
            role: String::new(),
            fate: Fate::default(),
        });
        id
    }

    /// Sets the game's seed.
    pub fn seed(&mut self, seed: u64) -> &mut Self {
        self.state.dice = Dice::from_seed(seed).state();
        self
    }

    /// Changes the rules.
    pub fn rules(&mut self, change: impl FnOnce(&mut Rules)) -> &mut Self {
        change(&mut self.state.rules);
        self
    }

    /// Sets an opinion (a permanent history modifier) of `holder` toward `of`.
    pub fn opinion(&mut self, holder: FactionId, of: FactionId, value: i32) -> &mut Self {
        self.state.diplomacy.add_opinion(
            holder,
            of,
            super::diplomacy::OpinionCause::History,
            value,
        );
        self
    }

    /// The world as built so far.
    pub fn state(&mut self) -> WorldState {
        let mut state = self.state.clone();
        let mut scratch = Vec::new();
        for (name, signatories, clauses) in &self.treaties {
            state.diplomacy.sign(
                name.clone(),
                signatories.clone(),
                clauses.clone(),
                0,
                &mut scratch,
            );
        }
        state
    }

    /// A game of this world, at turn 1.
    pub fn game(&mut self) -> Game {
        Game::new(self.state())
    }
}
