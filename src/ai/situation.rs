//! The world read once per turn into flat arrays, so that planning for two dozen factions
//! does not query the ECS thousands of times.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::core::buckets::Buckets;
use crate::core::diplomacy::FleetSide;
use crate::core::faction::Personality;
use crate::core::fleet::Task;
use crate::core::ids::{BlockId, FactionId, FleetId, SectorId};
use crate::core::view::WorldView;

/// A fleet as the AI sees it.
#[derive(Clone, Copy, Debug)]
pub struct FleetInfo {
    /// Its id.
    pub id: FleetId,
    /// Owner and joint command.
    pub side: FleetSide,
    /// Where it is.
    pub at: SectorId,
    /// Its strength.
    pub strength: u32,
    /// Its speed.
    pub speed: u8,
    /// Whether its standing order is to hold.
    pub holding: bool,
}

/// What the AI knows at the start of its planning.
pub struct Situation {
    /// The turn being planned.
    pub turn: u32,
    /// Owner of each sector.
    pub owners: Vec<Option<FactionId>>,
    /// Whether each sector has a shipyard.
    pub shipyard: Vec<bool>,
    /// Living fleets by id.
    pub fleets: Vec<FleetInfo>,
    /// Indexes into `fleets`, by sector and then id.
    in_sector: Buckets,
    /// Total fleet strength per faction.
    pub strength: Vec<u64>,
    /// Treasury per faction.
    pub treasury: Vec<i64>,
    /// Capital per faction.
    pub capital: Vec<Option<SectorId>>,
    /// Whether each faction is defeated.
    pub defeated: Vec<bool>,
    /// Personality per faction.
    pub personality: Vec<Personality>,
    /// For each pair (a < b) whose sectors touch: the blocks where they do.
    pub borders: BTreeMap<(FactionId, FactionId), Vec<BlockId>>,
    /// The factions whose sectors touch each faction's, in id order.
    pub neighbours: Vec<Vec<FactionId>>,
    /// The sectors each faction holds, in id order.
    pub owned: Vec<Vec<SectorId>>,
    /// The factions each faction is at war with, in id order.
    pub enemies: Vec<Vec<FactionId>>,
    /// Each faction's fleets, as indexes into `fleets`, in id order.
    pub fleets_of: Vec<Vec<usize>>,
    /// (from, to) for every proposal waiting and every faction it is addressed to, sorted.
    proposed: Vec<(FactionId, FactionId)>,
    /// The proposals waiting for each faction's answer, as indexes into the world's list.
    waiting: Vec<Vec<usize>>,
    /// The turns of every breach of a treaty by each faction, in treaty order.
    pub breaches_by: Vec<Vec<u32>>,
}

/// Fleets already ordered this turn into each sector, by the plans made before: a fleet that
/// joins a fight counts the friends on their way to it. A copy made by
/// [`Incoming::recording`] also keeps the sectors a plan asked about, so that a plan made
/// before its friends' can be found to have missed them.
#[derive(Clone)]
pub struct Incoming {
    /// Each fleet noted: its side, its strength, the next one bound for the same sector.
    list: Vec<(FleetSide, u32, u32)>,
    /// The last one noted for each sector; `NONE` ends a list.
    first: Vec<u32>,
    /// When recording: the sectors asked about since [`Incoming::take_asked`] last took them.
    asked: Option<RefCell<Vec<SectorId>>>,
}

/// The end of a list of fleets bound for a sector.
const NONE: u32 = u32::MAX;

impl Incoming {
    /// Nothing noted, on a map of `n` sectors.
    pub fn new(n: usize) -> Self {
        Self {
            list: Vec::new(),
            first: vec![NONE; n],
            asked: None,
        }
    }

    /// A copy that keeps the sectors asked about.
    pub fn recording(&self) -> Self {
        Self {
            asked: Some(RefCell::new(Vec::new())),
            ..self.clone()
        }
    }

    /// Notes a fleet bound for `to`; a sector off the map is ignored.
    fn note(&mut self, to: SectorId, side: FleetSide, strength: u32) {
        let Some(first) = self.first.get_mut(to.index()) else {
            return;
        };
        self.list.push((side, strength, *first));
        *first = (self.list.len() - 1) as u32;
    }

    /// How many fleets are noted so far: those noted later come after it.
    pub fn mark(&self) -> usize {
        self.list.len()
    }

    /// The fleets noted bound for `sector`, the last noted first, each with its place in the
    /// order noted.
    fn noted(&self, sector: SectorId) -> impl Iterator<Item = (usize, FleetSide, u32)> + '_ {
        let first = self.first.get(sector.index()).copied().unwrap_or(NONE);
        std::iter::successors((first != NONE).then_some(first), |&k| {
            let next = self.list[k as usize].2;
            (next != NONE).then_some(next)
        })
        .map(|k| {
            let (side, strength, _) = self.list[k as usize];
            (k as usize, side, strength)
        })
    }

    /// The fleets noted bound for `sector`: side and strength, the last noted first. When
    /// recording, the sector is kept among those asked about.
    pub fn to(&self, sector: SectorId) -> impl Iterator<Item = (FleetSide, u32)> + '_ {
        if let Some(asked) = &self.asked {
            asked.borrow_mut().push(sector);
        }
        self.noted(sector)
            .map(|(_, side, strength)| (side, strength))
    }

    /// The sectors asked about since the last call, in the order asked (none unless
    /// recording).
    pub fn take_asked(&mut self) -> Vec<SectorId> {
        self.asked
            .as_mut()
            .map(|asked| std::mem::take(asked.get_mut()))
            .unwrap_or_default()
    }

    /// Whether any fleet noted after `mark` and bound for one of `sectors` is of another
    /// faction than `faction` that one of its fleets might count as a friend: an ally's, or
    /// one in any joint command (whether the faction's fleets serve in that command is not
    /// asked: a plan found so may be made again when it need not be, but is never kept when
    /// it should not be).
    pub fn friends_since(
        &self,
        mark: usize,
        sectors: &[SectorId],
        faction: FactionId,
        diplomacy: &crate::core::diplomacy::Diplomacy,
    ) -> bool {
        sectors.iter().any(|&s| {
            self.noted(s)
                .take_while(|n| n.0 >= mark)
                .any(|(_, side, _)| {
                    side.owner != faction
                        && (side.command.is_some() || diplomacy.friendly(side.owner, faction))
                })
        })
    }
}

impl Situation {
    /// Whether `victim` has under three fifths of `than`'s strength: weak enough for a war of
    /// choice.
    pub fn much_weaker(&self, victim: FactionId, than: FactionId) -> bool {
        self.strength[victim.index()] * 5 < self.strength[than.index()] * 3
    }

    /// Reads the world.
    pub fn read(view: &WorldView) -> Self {
        let n_sectors = view.galaxy.sector_count();
        let n_factions = view.faction_count();
        let mut owners = vec![None; n_sectors];
        let mut shipyard = vec![false; n_sectors];
        for s in &view.sectors {
            owners[s.sector.0.index()] = s.owner.0;
            shipyard[s.sector.0.index()] = s.shipyard;
        }
        let mut fleets: Vec<FleetInfo> = view
            .fleets
            .iter()
            .map(|f| FleetInfo {
                id: f.fleet.id,
                side: FleetSide {
                    owner: f.fleet.owner,
                    command: f.assignment.copied(),
                },
                at: f.location.0,
                strength: f.strength.0,
                speed: f.speed.0,
                holding: matches!(f.task, Task::Hold),
            })
            .collect();
        radsort::sort_by_key(&mut fleets, |f| f.id.0);
        // The fleets (indexes into `fleets`, which is in id order) grouped by sector, so that
        // finding a sector's fleets costs what is there, whatever the size of the map.
        let in_sector = Buckets::new(n_sectors, fleets.iter().map(|f| f.at));
        let mut strength = vec![0u64; n_factions];
        for f in &fleets {
            strength[f.side.owner.index()] += u64::from(f.strength);
        }
        let mut treasury = vec![0; n_factions];
        let mut capital = vec![None; n_factions];
        let mut defeated = vec![false; n_factions];
        let mut personality = vec![Personality::default(); n_factions];
        for f in &view.factions {
            let i = f.faction.id.index();
            treasury[i] = f.treasury.0;
            capital[i] = f.capital.0;
            defeated[i] = f.defeated.is_some();
            personality[i] = *f.personality;
        }
        // Every (pair, block) where two factions' sectors touch, gathered in one pass, then
        // sorted and grouped by pair. Grid neighbours are mutual, so each side of a border
        // notes its own sector's block; a sector whose last neighbour noted the same pair
        // and block (its neighbours and the sectors before it are mostly in the same block)
        // notes nothing new, so that what is sorted grows with the borders' blocks rather
        // than with every sector along them.
        let mut touching: Vec<((FactionId, FactionId), BlockId)> = Vec::new();
        for i in 0..n_sectors {
            let s = SectorId::from_index(i);
            let Some(a) = owners[i] else { continue };
            let block = view.galaxy.block_of(s);
            for &t in view.galaxy.neighbours(s) {
                if let Some(b) = owners[t.index()]
                    && a != b
                {
                    let key = if a < b { (a, b) } else { (b, a) };
                    if touching.last() != Some(&(key, block)) {
                        touching.push((key, block));
                    }
                }
            }
        }
        radsort::sort_by_key(&mut touching, |&((a, b), block)| (a.0, b.0, block.0));
        touching.dedup();
        let mut borders: BTreeMap<(FactionId, FactionId), Vec<BlockId>> = BTreeMap::new();
        let mut neighbours = vec![Vec::new(); n_factions];
        for chunk in touching.chunk_by(|x, y| x.0 == y.0) {
            let (a, b) = chunk[0].0;
            borders.insert((a, b), chunk.iter().map(|&(_, block)| block).collect());
            neighbours[a.index()].push(b);
            neighbours[b.index()].push(a);
        }
        for list in &mut neighbours {
            list.sort_unstable();
        }
        let mut owned = vec![Vec::new(); n_factions];
        for (i, o) in owners.iter().enumerate() {
            if let Some(o) = o {
                owned[o.index()].push(SectorId::from_index(i));
            }
        }
        let mut fleets_of = vec![Vec::new(); n_factions];
        for (i, f) in fleets.iter().enumerate() {
            fleets_of[f.side.owner.index()].push(i);
        }
        let enemies = view.diplomacy.all_enemies();
        let d = &view.diplomacy;
        let mut proposed: Vec<(FactionId, FactionId)> = d
            .proposals
            .iter()
            .flat_map(|p| p.to.iter().map(move |&to| (p.from, to)))
            .collect();
        proposed.sort_unstable();
        proposed.dedup();
        let mut waiting = vec![Vec::new(); n_factions];
        for (k, p) in d.proposals.iter().enumerate() {
            let mut to = p.to.clone();
            to.sort_unstable();
            to.dedup();
            for f in to {
                if f.index() < n_factions && !p.answers.iter().any(|(a, _)| *a == f) {
                    waiting[f.index()].push(k);
                }
            }
        }
        let mut breaches_by = vec![Vec::new(); n_factions];
        for b in d.treaties.iter().filter_map(|t| t.breach) {
            if let Some(list) = breaches_by.get_mut(b.by.index()) {
                list.push(b.turn);
            }
        }
        Self {
            proposed,
            waiting,
            breaches_by,
            fleets_of,
            owned,
            enemies,
            turn: view.calendar.turn,
            owners,
            shipyard,
            fleets,
            in_sector,
            strength,
            treasury,
            capital,
            defeated,
            personality,
            borders,
            neighbours,
        }
    }

    /// How many factions there are.
    pub fn faction_count(&self) -> usize {
        self.strength.len()
    }

    /// The fleets in a sector, in id order.
    pub fn fleets_at(&self, sector: SectorId) -> impl Iterator<Item = &FleetInfo> + '_ {
        self.in_sector.get(sector).map(|k| &self.fleets[k])
    }

    /// A living fleet, by id.
    fn fleet(&self, id: FleetId) -> Option<&FleetInfo> {
        self.fleets
            .binary_search_by_key(&id, |f| f.id)
            .ok()
            .map(|k| &self.fleets[k])
    }

    /// Notes in `incoming` where a faction's orders send its fleets: the end of a move, the
    /// sector of an attack's target.
    pub fn commit(
        &self,
        faction: FactionId,
        orders: &[crate::core::orders::Order],
        incoming: &mut Incoming,
    ) {
        use crate::core::orders::Order;
        let own: &[usize] = self
            .fleets_of
            .get(faction.index())
            .map_or(&[], Vec::as_slice);
        let own_fleet = |id: FleetId| {
            own.binary_search_by_key(&id, |&k| self.fleets[k].id)
                .ok()
                .map(|k| &self.fleets[own[k]])
        };
        for order in orders {
            let (id, to) = match order {
                Order::Move { fleet, route } => match route.last() {
                    Some(&to) => (*fleet, to),
                    None => continue,
                },
                Order::Attack { fleet, target } => match self.fleet(*target) {
                    Some(t) => (*fleet, t.at),
                    None => continue,
                },
                _ => continue,
            };
            if let Some(f) = own_fleet(id) {
                incoming.note(to, f.side, f.strength);
            }
        }
    }

    /// Whether `from` has a proposal to `to` waiting.
    pub fn proposed(&self, from: FactionId, to: FactionId) -> bool {
        self.proposed.binary_search(&(from, to)).is_ok()
    }

    /// The proposals waiting for the faction's answer, in the order filed.
    pub fn proposals_to<'a>(
        &'a self,
        view: &'a WorldView,
        faction: FactionId,
    ) -> impl Iterator<Item = &'a crate::core::diplomacy::Proposal> + 'a {
        self.waiting
            .get(faction.index())
            .into_iter()
            .flatten()
            .map(|&k| &view.diplomacy.proposals[k])
    }

    /// Whether two factions' sectors touch.
    pub fn border_blocks(&self, a: FactionId, b: FactionId) -> &[BlockId] {
        let key = if a < b { (a, b) } else { (b, a) };
        self.borders.get(&key).map_or(&[], Vec::as_slice)
    }
}
