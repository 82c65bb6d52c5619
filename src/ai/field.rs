//! Breadth-first searches bounded in depth and in the sectors they may enter, over reusable
//! buffers: a search costs what it visits, not the size of the map. Planning for hundreds of
//! factions on a huge map stays linear because each faction only searches around its fleets.

use crate::core::galaxy::Galaxy;
use crate::core::ids::SectorId;
use crate::core::stamped::Stamped;

/// Distances from a set of sources, valid for the sectors the last search reached.
#[derive(Default)]
pub struct Field {
    /// The distance of each sector the search reached.
    cells: Stamped<u16>,
    reached: Vec<SectorId>,
}

impl Field {
    /// Searches from `sources` out to `limit` steps (at most 65,534), entering only sectors
    /// for which `allowed` holds (sources always count). Replaces the previous search.
    pub fn search(
        &mut self,
        galaxy: &Galaxy,
        sources: impl IntoIterator<Item = SectorId>,
        limit: u32,
        allowed: impl Fn(SectorId) -> bool,
    ) {
        let limit = limit.min(u32::from(u16::MAX - 1)) as u16;
        self.cells.start(galaxy.sector_count());
        self.reached.clear();
        for s in sources {
            if self.cells.get(s).is_none() {
                self.mark(s, 0);
            }
        }
        // The sectors reached, in the order reached, are the search's queue: what is left of
        // the list past `next` is still to be searched from. They come nearest first, so the
        // first at the limit ends the search.
        let mut next = 0;
        while let Some(&at) = self.reached.get(next) {
            next += 1;
            let d = self.cells.get(at).unwrap_or(limit);
            if d >= limit {
                break;
            }
            for step in galaxy.exits(at) {
                if self.cells.get(step).is_none() && allowed(step) {
                    self.mark(step, d + 1);
                }
            }
        }
    }

    fn mark(&mut self, s: SectorId, d: u16) {
        self.cells.set(s, d);
        self.reached.push(s);
    }

    /// Steps from the nearest source, if the last search reached `s`.
    pub fn distance(&self, s: SectorId) -> Option<u32> {
        self.cells.get(s).map(u32::from)
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

    #[test]
    fn searches_are_bounded_and_fenced() {
        let places = (0..6)
            .map(|x| SectorPlace {
                key: format!("s{x}").into(),
                name: "".into(),
                hex: Hex::new(x, 0),
                block: BlockId(0),
                systems: std::sync::Arc::new([]),
                outside: false,
            })
            .collect();
        let g = Galaxy::new(
            vec![SectorBlock {
                key: "b".into(),
                name: "b".into(),
            }],
            places,
            vec![],
        );
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
    }
}
