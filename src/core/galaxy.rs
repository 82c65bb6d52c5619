//! The map: sectors on a hex grid, grouped into sector blocks, plus the links (gateways,
//! wormholes, conduits) that join places that are not neighbours.
//!
//! Geography lives in one resource because every phase and the AI walk it constantly: the
//! neighbour lists are flat arrays built once, and routes are breadth-first searches over them.
//! What changes during play (owners, industry, shipyards) lives on the sector entities.

use std::collections::VecDeque;
use std::sync::Arc;

use bevy::platform::collections::HashMap;

use bevy::prelude::*;
use hexx::Hex;
use serde::{Deserialize, Serialize};

use super::ids::{BlockId, LinkId, SectorId};
use super::stamped::Stamped;

/// A named region of sectors. Cease-fires are agreed per block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorBlock {
    /// The id used in files and replays, e.g. `tau_dewa`.
    pub key: String,
    /// The name players read, e.g. "Tau Dewa".
    pub name: String,
}

/// What does not change about a sector. Its texts are shared, so copying a world's state
/// (every turn, for its hash) copies no strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorPlace {
    /// The id used in files and replays, e.g. `new_romulus`.
    pub key: Arc<str>,
    /// The name players read.
    pub name: Arc<str>,
    /// Its position on the hex grid.
    pub hex: Hex,
    /// The block it belongs to.
    pub block: BlockId,
    /// Star systems of note in it.
    pub systems: Arc<[String]>,
    /// Held by a power that takes no part in the scenario: while no one in it holds the
    /// sector, no one takes it (fleets still pass through).
    #[serde(default)]
    pub outside: bool,
}

/// What kind of passage a link is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// An Iconian gateway.
    Gateway,
    /// A stable wormhole, such as the Bajoran wormhole.
    Wormhole,
    /// A Borg transwarp conduit.
    Conduit,
}

/// A passage between two sectors that are not neighbours. One step to cross, either way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The id used in files and replays.
    pub key: String,
    /// The name players read.
    pub name: String,
    /// Gateway, wormhole or conduit.
    pub kind: LinkKind,
    /// The two ends.
    pub ends: [SectorId; 2],
    /// Whether fleets can pass now.
    pub open: bool,
}

impl Link {
    /// The far end seen from `from`, if `from` is an end.
    pub fn other_end(&self, from: SectorId) -> Option<SectorId> {
        match self.ends {
            [a, b] if a == from => Some(b),
            [a, b] if b == from => Some(a),
            _ => None,
        }
    }
}

/// Why no route joins two sectors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoRoute {
    /// No route at all, even through closed links.
    Unreachable,
    /// A route exists only through this closed link.
    LinkClosed(LinkId),
}

/// Where a search over the map has been and from where: one cell per sector, stamped with the
/// search that wrote it, so that a search costs what it visits and not the size of the map.
#[derive(Default)]
struct Trail(Stamped<u32>);

impl Trail {
    /// Forgets the last search, for a map of `n` sectors.
    fn start(&mut self, n: usize) {
        self.0.start(n);
    }

    fn mark(&mut self, s: SectorId, from: SectorId) {
        self.0.set(s, from.0);
    }

    /// The sector this search reached `s` from (`s` itself for where it began), if it did.
    fn came_from(&self, s: SectorId) -> Option<SectorId> {
        self.0.get(s).map(SectorId)
    }

    /// The route this search found from `from` to `to`, `from` left out: the trail walked
    /// back from `to`.
    fn route(&self, from: SectorId, to: SectorId) -> Option<Vec<SectorId>> {
        let mut route = Vec::new();
        let mut step = to;
        while step != from {
            route.push(step);
            step = self.came_from(step)?;
        }
        route.reverse();
        Some(route)
    }
}

thread_local! {
    static TRAIL: std::cell::RefCell<Trail> = std::cell::RefCell::default();
}

/// Runs a search with this thread's trail, cleared; a search started from inside another
/// (from a condition it tests) gets a trail of its own.
fn with_trail<R>(n: usize, search: impl FnOnce(&mut Trail) -> R) -> R {
    TRAIL.with(|cell| match cell.try_borrow_mut() {
        Ok(mut trail) => {
            trail.start(n);
            search(&mut trail)
        }
        Err(_) => {
            let mut trail = Trail::default();
            trail.start(n);
            search(&mut trail)
        }
    })
}

/// The map's geography.
#[derive(Resource, Clone, Debug)]
pub struct Galaxy {
    blocks: Vec<SectorBlock>,
    places: Vec<SectorPlace>,
    links: Vec<Link>,
    by_hex: HashMap<Hex, SectorId>,
    /// `exits[offsets[i]..offsets[i + 1]]` are the sectors one step from sector `i`: its
    /// grid neighbours (the first `grid[i]`), then the far ends of its open links. A search
    /// reads a sector's ways on in one place; opening or closing a link lays them out again.
    offsets: Vec<u32>,
    grid: Vec<u8>,
    exits: Vec<SectorId>,
    /// `link_ids[link_offsets[i]..link_offsets[i + 1]]` are the links touching sector `i`.
    link_offsets: Vec<u32>,
    link_ids: Vec<LinkId>,
    /// What the searches and the rules ask of a sector most often, copied out of `places`
    /// one table apiece, so that each answer reads only its own: a block is two bytes, and
    /// the blocks of a whole map of 100,000 sectors fit in a tenth of a core's cache.
    hexes: Vec<Hex>,
    block_ids: Vec<BlockId>,
    outside: Vec<bool>,
}

impl Galaxy {
    /// Builds the geography. Two sectors on the same hex are an error the content loader
    /// reports before this is called; here the later one would shadow the earlier.
    pub fn new(blocks: Vec<SectorBlock>, places: Vec<SectorPlace>, links: Vec<Link>) -> Self {
        let by_hex: HashMap<Hex, SectorId> = places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.hex, SectorId::from_index(i)))
            .collect();
        let mut offsets = Vec::with_capacity(places.len() + 1);
        let mut grid = Vec::with_capacity(places.len());
        let mut exits = Vec::with_capacity(places.len() * 6);
        offsets.push(0);
        for place in &places {
            // `all_neighbors` has a fixed direction order, so neighbour lists are stable.
            let before = exits.len();
            for hex in place.hex.all_neighbors() {
                if let Some(&id) = by_hex.get(&hex) {
                    exits.push(id);
                }
            }
            grid.push((exits.len() - before) as u8);
            offsets.push(exits.len() as u32);
        }
        let mut links_at: Vec<(u32, LinkId)> = links
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                let id = LinkId::from_index(i);
                [(l.ends[0].0, id), (l.ends[1].0, id)]
            })
            .collect();
        links_at.sort_unstable();
        let mut link_offsets = Vec::with_capacity(places.len() + 1);
        let mut k = 0;
        for i in 0..=places.len() as u32 {
            while k < links_at.len() && links_at[k].0 < i {
                k += 1;
            }
            link_offsets.push(k as u32);
        }
        let link_ids = links_at.into_iter().map(|(_, l)| l).collect();
        let hexes = places.iter().map(|p| p.hex).collect();
        let block_ids = places.iter().map(|p| p.block).collect();
        let outside = places.iter().map(|p| p.outside).collect();
        let mut galaxy = Self {
            blocks,
            places,
            links,
            by_hex,
            offsets,
            grid,
            exits,
            link_offsets,
            link_ids,
            hexes,
            block_ids,
            outside,
        };
        galaxy.lay_out_exits();
        galaxy
    }

    /// Lays out every sector's exits again: its grid neighbours, then the far ends of its
    /// open links in the order of their ids.
    fn lay_out_exits(&mut self) {
        let n = self.places.len();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut exits = Vec::with_capacity(self.exits.len());
        offsets.push(0);
        for i in 0..n {
            let start = self.offsets[i] as usize;
            exits.extend_from_slice(&self.exits[start..start + usize::from(self.grid[i])]);
            let sector = SectorId::from_index(i);
            exits.extend(self.open_link_exits(sector));
            offsets.push(exits.len() as u32);
        }
        self.offsets = offsets;
        self.exits = exits;
    }

    /// All sector blocks.
    pub fn blocks(&self) -> &[SectorBlock] {
        &self.blocks
    }

    /// All sectors' fixed facts, indexed by `SectorId`.
    pub fn places(&self) -> &[SectorPlace] {
        &self.places
    }

    /// All links, indexed by `LinkId`.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// How many sectors the map has.
    pub fn sector_count(&self) -> usize {
        self.places.len()
    }

    /// One sector's fixed facts.
    pub fn place(&self, sector: SectorId) -> &SectorPlace {
        &self.places[sector.index()]
    }

    /// Whether the sector is held by a power outside the scenario (see [`SectorPlace`]).
    #[inline]
    pub fn outside(&self, sector: SectorId) -> bool {
        self.outside[sector.index()]
    }

    /// One block.
    pub fn block(&self, block: BlockId) -> &SectorBlock {
        &self.blocks[block.index()]
    }

    /// The hex a sector stands on.
    #[inline]
    pub fn hex_of(&self, sector: SectorId) -> Hex {
        self.hexes[sector.index()]
    }

    /// The block a sector belongs to.
    #[inline]
    pub fn block_of(&self, sector: SectorId) -> BlockId {
        self.block_ids[sector.index()]
    }

    /// One link.
    pub fn link(&self, link: LinkId) -> &Link {
        &self.links[link.index()]
    }

    /// Opens or closes a link. Returns whether it changed.
    pub fn set_link_open(&mut self, link: LinkId, open: bool) -> bool {
        let l = &mut self.links[link.index()];
        let changed = l.open != open;
        l.open = open;
        if changed {
            self.lay_out_exits();
        }
        changed
    }

    /// The sector on a hex, if any.
    pub fn sector_at(&self, hex: Hex) -> Option<SectorId> {
        self.by_hex.get(&hex).copied()
    }

    /// Whether `sector` is a valid id on this map.
    pub fn contains(&self, sector: SectorId) -> bool {
        sector.index() < self.places.len()
    }

    /// The grid neighbours of a sector.
    #[inline]
    pub fn neighbours(&self, sector: SectorId) -> &[SectorId] {
        let i = sector.index();
        let start = self.offsets[i] as usize;
        &self.exits[start..start + usize::from(self.grid[i])]
    }

    /// Links touching a sector, open or not.
    pub fn links_at(&self, sector: SectorId) -> impl Iterator<Item = LinkId> + '_ {
        let i = sector.index();
        self.link_ids[self.link_offsets[i] as usize..self.link_offsets[i + 1] as usize]
            .iter()
            .copied()
    }

    /// The sectors one step away: grid neighbours, then the far ends of open links.
    #[inline]
    pub fn exits(&self, sector: SectorId) -> impl Iterator<Item = SectorId> + '_ {
        let i = sector.index();
        self.exits[self.offsets[i] as usize..self.offsets[i + 1] as usize]
            .iter()
            .copied()
    }

    fn open_link_exits(&self, sector: SectorId) -> impl Iterator<Item = SectorId> + '_ {
        self.links_at(sector).filter_map(move |l| {
            let link = &self.links[l.index()];
            if link.open {
                link.other_end(sector)
            } else {
                None
            }
        })
    }

    /// The link joining two sectors, if they are joined by one (open or not).
    pub fn link_between(&self, a: SectorId, b: SectorId) -> Option<LinkId> {
        self.links_at(a)
            .find(|&l| self.links[l.index()].other_end(a) == Some(b))
    }

    /// Whether one step leads from `a` to `b`: neighbours, or an open link. On a closed link
    /// it says which.
    pub fn step(&self, a: SectorId, b: SectorId) -> Result<(), Option<LinkId>> {
        if self.neighbours(a).contains(&b) {
            return Ok(());
        }
        match self.link_between(a, b) {
            Some(l) if self.links[l.index()].open => Ok(()),
            Some(l) => Err(Some(l)),
            None => Err(None),
        }
    }

    /// Steps on the grid between two sectors, ignoring links.
    pub fn grid_distance(&self, a: SectorId, b: SectorId) -> u32 {
        self.hexes[a.index()].unsigned_distance_to(self.hexes[b.index()])
    }

    /// The shortest route from `from` to `to`, without `from` and ending with `to`. Among
    /// routes of equal length it always picks the same one (neighbours are tried in a fixed
    /// order). When only closed links stand in the way, it names the first of them.
    pub fn route(&self, from: SectorId, to: SectorId) -> Result<Vec<SectorId>, NoRoute> {
        if from == to {
            return Ok(Vec::new());
        }
        if let Some(route) = self.bfs_route(from, to, false) {
            return Ok(route);
        }
        match self.bfs_route(from, to, true) {
            Some(route) => {
                let mut prev = from;
                for &next in &route {
                    if let Err(Some(link)) = self.step(prev, next) {
                        return Err(NoRoute::LinkClosed(link));
                    }
                    prev = next;
                }
                Err(NoRoute::Unreachable)
            }
            None => Err(NoRoute::Unreachable),
        }
    }

    /// The shortest route from `from` to `to` if it takes at most `limit` steps. It searches
    /// only that far, so it is cheap for the short hops of an attack.
    pub fn route_within(&self, from: SectorId, to: SectorId, limit: u32) -> Option<Vec<SectorId>> {
        if from == to {
            return Some(Vec::new());
        }
        with_trail(self.places.len(), |trail| {
            trail.mark(from, from);
            let mut frontier = vec![from];
            for _ in 0..limit {
                let mut next_frontier = Vec::new();
                for &at in &frontier {
                    for next in self.exits(at) {
                        if trail.came_from(next).is_some() {
                            continue;
                        }
                        trail.mark(next, at);
                        if next == to {
                            return trail.route(from, to);
                        }
                        next_frontier.push(next);
                    }
                }
                frontier = next_frontier;
            }
            None
        })
    }

    fn bfs_route(
        &self,
        from: SectorId,
        to: SectorId,
        through_closed: bool,
    ) -> Option<Vec<SectorId>> {
        with_trail(self.places.len(), |trail| {
            trail.mark(from, from);
            let mut queue = VecDeque::from([from]);
            while let Some(at) = queue.pop_front() {
                if at == to {
                    break;
                }
                let link_exits = self.links_at(at).filter_map(|l| {
                    let link = &self.links[l.index()];
                    if link.open || through_closed {
                        link.other_end(at)
                    } else {
                        None
                    }
                });
                for next in self.neighbours(at).iter().copied().chain(link_exits) {
                    if trail.came_from(next).is_none() {
                        trail.mark(next, at);
                        queue.push_back(next);
                    }
                }
            }
            trail.came_from(to)?;
            let mut route = vec![to];
            let mut at = to;
            while let Some(prev) = trail.came_from(at)
                && prev != from
            {
                at = prev;
                route.push(at);
            }
            route.reverse();
            Some(route)
        })
    }

    /// The route to the nearest sector (by steps; among equals, the first found in the
    /// fixed neighbour order) for which `wanted` holds; empty if `from` itself qualifies.
    pub fn route_to_nearest(
        &self,
        from: SectorId,
        wanted: impl Fn(SectorId) -> bool,
    ) -> Option<Vec<SectorId>> {
        with_trail(self.places.len(), |trail| {
            trail.mark(from, from);
            let mut queue = VecDeque::from([from]);
            while let Some(at) = queue.pop_front() {
                if wanted(at) {
                    return trail.route(from, at);
                }
                for next in self.exits(at) {
                    if trail.came_from(next).is_none() {
                        trail.mark(next, at);
                        queue.push_back(next);
                    }
                }
            }
            None
        })
    }

    /// Whether some sector within `range` steps of `from` (itself included) satisfies `wanted`.
    pub fn any_within(
        &self,
        from: SectorId,
        range: u32,
        wanted: impl Fn(SectorId) -> bool,
    ) -> bool {
        self.visit_within(from, range, wanted)
    }

    /// The sectors within `range` steps of `from`, itself first, nearest first.
    pub fn within(&self, from: SectorId, range: u32) -> Vec<SectorId> {
        let mut out = Vec::new();
        self.visit_within(from, range, |s| {
            out.push(s);
            false
        });
        out
    }

    /// Visits the sectors within `range` steps of `from`, nearest first, until `stop` says so;
    /// whether it did.
    fn visit_within(
        &self,
        from: SectorId,
        range: u32,
        mut stop: impl FnMut(SectorId) -> bool,
    ) -> bool {
        if stop(from) {
            return true;
        }
        let mut seen = vec![from];
        let mut frontier = vec![from];
        for _ in 0..range {
            let mut next_frontier = Vec::new();
            for &at in &frontier {
                for next in self.exits(at) {
                    if !seen.contains(&next) {
                        if stop(next) {
                            return true;
                        }
                        seen.push(next);
                        next_frontier.push(next);
                    }
                }
            }
            frontier = next_frontier;
        }
        false
    }

    /// Steps from the nearest of `sources` to every sector (over neighbours and open links),
    /// `u32::MAX` where none reaches or beyond `limit` steps. One pass, whatever the number of
    /// sources: the AI's distance fields and the supply check are built on it.
    pub fn distances(
        &self,
        sources: impl IntoIterator<Item = SectorId>,
        limit: u32,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        out.resize(self.places.len(), u32::MAX);
        let mut queue = VecDeque::new();
        for s in sources {
            if out[s.index()] != 0 {
                out[s.index()] = 0;
                queue.push_back(s);
            }
        }
        while let Some(at) = queue.pop_front() {
            let d = out[at.index()];
            if d >= limit {
                continue;
            }
            for next in self.exits(at) {
                if out[next.index()] == u32::MAX {
                    out[next.index()] = d + 1;
                    queue.push_back(next);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(n: i32) -> Galaxy {
        let blocks = vec![SectorBlock {
            key: "b".into(),
            name: "B".into(),
        }];
        let places = (0..n)
            .map(|x| SectorPlace {
                key: format!("s{x}").into(),
                name: format!("S{x}").into(),
                hex: Hex::new(x, 0),
                block: BlockId(0),
                systems: Arc::new([]),
                outside: false,
            })
            .collect();
        Galaxy::new(blocks, places, vec![])
    }

    #[test]
    fn the_sectors_within_a_range_come_nearest_first() {
        let g = strip(6);
        let at = |i: u32| SectorId(i);
        assert_eq!(g.within(at(2), 2), [at(2), at(3), at(1), at(4), at(0)]);
        assert_eq!(g.within(at(5), 0), [at(5)]);
        assert!(g.any_within(at(0), 3, |s| s == at(3)));
        assert!(!g.any_within(at(0), 2, |s| s == at(3)));
    }

    #[test]
    fn routes_follow_neighbours() {
        let g = strip(5);
        assert_eq!(
            g.route(SectorId(0), SectorId(3)).unwrap(),
            vec![SectorId(1), SectorId(2), SectorId(3)]
        );
        assert_eq!(g.neighbours(SectorId(0)), &[SectorId(1)]);
        assert_eq!(g.grid_distance(SectorId(0), SectorId(4)), 4);
    }

    #[test]
    fn exits_follow_links_as_they_open_and_close() {
        let mut g = strip(6);
        g.links = vec![Link {
            key: "gate".into(),
            name: "Gate".into(),
            kind: LinkKind::Gateway,
            ends: [SectorId(0), SectorId(5)],
            open: false,
        }];
        g = Galaxy::new(g.blocks.clone(), g.places.clone(), g.links.clone());
        let exits = |g: &Galaxy, s: u32| g.exits(SectorId(s)).collect::<Vec<_>>();
        assert_eq!(
            exits(&g, 0),
            vec![SectorId(1)],
            "a closed link is no way on"
        );
        assert!(g.set_link_open(LinkId(0), true));
        assert_eq!(exits(&g, 0), vec![SectorId(1), SectorId(5)]);
        assert_eq!(exits(&g, 5), vec![SectorId(4), SectorId(0)]);
        assert_eq!(
            g.neighbours(SectorId(5)),
            &[SectorId(4)],
            "neighbours stay the grid's"
        );
        assert_eq!(exits(&g, 2), vec![SectorId(3), SectorId(1)]);
        assert!(g.set_link_open(LinkId(0), false));
        assert_eq!(exits(&g, 5), vec![SectorId(4)]);
        assert!(!g.set_link_open(LinkId(0), false), "no change");
    }

    #[test]
    fn distances_from_many_sources() {
        let g = strip(7);
        let mut d = Vec::new();
        g.distances([SectorId(0), SectorId(6)], u32::MAX, &mut d);
        assert_eq!(d, vec![0, 1, 2, 3, 2, 1, 0]);
        g.distances([SectorId(0)], 2, &mut d);
        assert_eq!(d[2], 2);
        assert_eq!(d[3], u32::MAX);
    }
}
