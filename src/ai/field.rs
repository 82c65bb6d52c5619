//! Breadth-first searches bounded in depth and in the sectors they may enter, over reusable
//! buffers: a search costs what it visits, not the size of the map. Planning for hundreds of
//! factions on a huge map stays linear because each faction only searches around its fleets.

use crate::core::galaxy::Galaxy;
use crate::core::ids::SectorId;

/// Distances from a set of sources, valid for the sectors the last search reached.
#[derive(Default)]
pub struct Field {
    /// The distance of each sector the search reached, [`Field::UNREACHED`] elsewhere: a
    /// byte per sector, so that the three fields a faction's plan searches take 300 KB on a
    /// map of 100,000 sectors (1.2 MB as four-byte cells). A search puts back only the cells
    /// the last one wrote, so it costs what it visits and not the size of the map.
    cells: Vec<u8>,
    reached: Vec<SectorId>,
}

impl Field {
    /// The farthest a search goes (a larger limit is a mistake in the caller).
    pub const MAX_LIMIT: u32 = 254;
    const UNREACHED: u8 = u8::MAX;

    /// Searches from `sources` out to `limit` steps (at most [`Field::MAX_LIMIT`]), entering
    /// only sectors for which `allowed` holds (sources always count). Replaces the previous
    /// search.
    pub fn search(
        &mut self,
        galaxy: &Galaxy,
        sources: impl IntoIterator<Item = SectorId>,
        limit: u32,
        allowed: impl Fn(SectorId) -> bool,
    ) {
        debug_assert!(
            limit <= Self::MAX_LIMIT,
            "a field reaches {} steps at most",
            Self::MAX_LIMIT
        );
        let limit = limit.min(Self::MAX_LIMIT) as u8;
        let n = galaxy.sector_count();
        if self.cells.len() == n {
            for s in self.reached.drain(..) {
                self.cells[s.index()] = Self::UNREACHED;
            }
        } else {
            self.cells = vec![Self::UNREACHED; n];
            self.reached.clear();
        }
        for s in sources {
            if self.distance(s).is_none() {
                self.mark(s, 0);
            }
        }
        // The sectors reached, in the order reached, are the search's queue: what is left of
        // the list past `next` is still to be searched from. They come nearest first, so the
        // first at the limit ends the search.
        let mut next = 0;
        while let Some(&at) = self.reached.get(next) {
            next += 1;
            let d = self.cells[at.index()];
            if d >= limit {
                break;
            }
            for step in galaxy.exits(at) {
                if self.cells[step.index()] == Self::UNREACHED && allowed(step) {
                    self.mark(step, d + 1);
                }
            }
        }
    }

    fn mark(&mut self, s: SectorId, d: u8) {
        self.cells[s.index()] = d;
        self.reached.push(s);
    }

    /// Steps from the nearest source, if the last search reached `s`.
    pub fn distance(&self, s: SectorId) -> Option<u32> {
        self.cells
            .get(s.index())
            .filter(|&&d| d != Self::UNREACHED)
            .map(|&d| u32::from(d))
    }

    /// The sectors the last search reached, nearest first.
    pub fn reached(&self) -> &[SectorId] {
        &self.reached
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::galaxy::{SectorBlock, SectorPlace};
    use crate::core::ids::BlockId;
    use hexx::Hex;

    /// A row of `n` sectors, each beside the next.
    fn chain(n: i32) -> Galaxy {
        let places = (0..n)
            .map(|x| SectorPlace {
                key: format!("s{x}").into(),
                name: "".into(),
                hex: Hex::new(x, 0),
                block: BlockId(0),
                systems: std::sync::Arc::new([]),
                outside: false,
            })
            .collect();
        Galaxy::new(
            vec![SectorBlock {
                key: "b".into(),
                name: "b".into(),
            }],
            places,
            vec![],
        )
    }

    #[test]
    fn a_search_goes_as_far_as_the_largest_limit() {
        let g = chain(300);
        let mut f = Field::default();
        f.search(&g, [SectorId(0)], Field::MAX_LIMIT, |_| true);
        let last = Field::MAX_LIMIT;
        assert_eq!(f.distance(SectorId(last)), Some(last));
        assert_eq!(f.distance(SectorId(last + 1)), None);
        assert_eq!(f.reached().len(), last as usize + 1);
    }

    #[test]
    fn searches_are_bounded_and_fenced() {
        let g = chain(6);
        let mut f = Field::default();
        f.search(&g, [SectorId(0)], 2, |_| true);
        assert_eq!(f.reached(), &[SectorId(0), SectorId(1), SectorId(2)]);
        assert_eq!(f.distance(SectorId(2)), Some(2));
        assert_eq!(f.distance(SectorId(3)), None);
        f.search(&g, [SectorId(5)], 10, |s| s != SectorId(3));
        assert_eq!(f.distance(SectorId(4)), Some(1));
        assert_eq!(
            f.distance(SectorId(2)),
            None,
            "the fence at 3 holds, and the old search is gone"
        );
        assert_eq!(
            f.distance(SectorId(0)),
            None,
            "nor are its sources left behind"
        );
        f.search(&g, [SectorId(0)], 10, |_| true);
        assert_eq!(
            f.distance(SectorId(5)),
            Some(5),
            "a limit past the farthest is no limit"
        );
        assert_eq!(
            f.distance(SectorId(6)),
            None,
            "a sector off the map is not reached"
        );
    }
}
