//! Items grouped by the sector they are in, in one counting pass: what finding a sector's
//! items costs is what is there, and grouping them costs the items and the map, never a sort.
//! The AI groups fleets by sector this way once a turn. [`SectorLists`] keep such lists up to
//! date while the items move.

use super::ids::SectorId;
use super::stamped::Stamped;

/// Items grouped by sector: the items in sector `s` are `items[first[s]..first[s + 1]]`, as
/// indexes into the order they were given, in that order.
pub struct Buckets {
    first: Vec<u32>,
    items: Vec<u32>,
}

impl Buckets {
    /// Groups items by sector on a map of `sectors`, given the sector of each in order. Each
    /// sector given must be on the map.
    pub fn new(sectors: usize, at: impl Iterator<Item = SectorId> + Clone) -> Self {
        let mut first = vec![0u32; sectors + 1];
        for s in at.clone() {
            first[s.index() + 1] += 1;
        }
        for i in 0..sectors {
            first[i + 1] += first[i];
        }
        let mut next = first[..sectors].to_vec();
        let mut items = vec![0; first[sectors] as usize];
        for (k, s) in at.enumerate() {
            let slot = &mut next[s.index()];
            items[*slot as usize] = k as u32;
            *slot += 1;
        }
        Self { first, items }
    }

    /// The items in a sector.
    pub fn get(&self, s: SectorId) -> impl Iterator<Item = usize> + '_ {
        let (start, end) = (self.first[s.index()], self.first[s.index() + 1]);
        self.items[start as usize..end as usize]
            .iter()
            .map(|&k| k as usize)
    }
}

/// The end of a sector's list in [`SectorLists`].
const NONE: u32 = u32::MAX;

/// Items listed by the sector they are in, kept up to date as they move: moving one costs a
/// few writes, and after the first pass nothing costs the size of the map (each sector's
/// first item carries the stamp of the pass that wrote it). Movement keeps its fleets'
/// places this way from step to step.
#[derive(Default)]
pub struct SectorLists {
    /// The first item in each sector, for the sectors written this pass.
    first: Stamped<u32>,
    /// The next and the previous item in the same sector as each item, or `NONE`.
    next: Vec<u32>,
    prev: Vec<u32>,
}

impl SectorLists {
    /// Forgets the last pass and lists the items given, the sector of each in order, on a map
    /// of `sectors`. Each sector given must be on the map.
    pub fn fill(&mut self, sectors: usize, at: impl ExactSizeIterator<Item = SectorId>) {
        self.first.start(sectors);
        self.next.clear();
        self.prev.clear();
        self.next.resize(at.len(), NONE);
        self.prev.resize(at.len(), NONE);
        for (k, s) in at.enumerate() {
            self.link(k, s);
        }
    }

    /// Moves item `k` from the sector it was listed in, `from`, to `to`.
    pub fn shift(&mut self, k: usize, from: SectorId, to: SectorId) {
        let (next, prev) = (self.next[k], self.prev[k]);
        if prev == NONE {
            self.first.set(from, next);
        } else {
            self.next[prev as usize] = next;
        }
        if next != NONE {
            self.prev[next as usize] = prev;
        }
        self.link(k, to);
    }

    /// The items in a sector, in no set order.
    pub fn get(&self, s: SectorId) -> impl Iterator<Item = usize> + '_ {
        let mut k = self.first.get(s).unwrap_or(NONE);
        std::iter::from_fn(move || {
            (k != NONE).then(|| {
                let item = k as usize;
                k = self.next[item];
                item
            })
        })
    }

    /// Puts item `k` first in sector `s`'s list.
    fn link(&mut self, k: usize, s: SectorId) {
        let head = self.first.get(s).unwrap_or(NONE);
        self.next[k] = head;
        self.prev[k] = NONE;
        if head != NONE {
            self.prev[head as usize] = k as u32;
        }
        self.first.set(s, k as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_listed_by_sector_follow_their_moves_and_a_new_pass_forgets_the_last() {
        let mut lists = SectorLists::default();
        let sorted = |lists: &SectorLists, s: u32| {
            let mut v: Vec<usize> = lists.get(SectorId(s)).collect();
            v.sort_unstable();
            v
        };
        lists.fill(5, [3, 0, 3, 1, 3].map(SectorId).into_iter());
        assert_eq!(sorted(&lists, 3), [0, 2, 4]);
        assert_eq!(sorted(&lists, 2), [] as [usize; 0]);
        // The middle of a list, its head and its last item leave, one by one.
        lists.shift(2, SectorId(3), SectorId(2));
        lists.shift(4, SectorId(3), SectorId(2));
        assert_eq!(sorted(&lists, 3), [0]);
        lists.shift(0, SectorId(3), SectorId(1));
        assert_eq!(sorted(&lists, 3), [] as [usize; 0]);
        assert_eq!(sorted(&lists, 2), [2, 4]);
        assert_eq!(sorted(&lists, 1), [0, 3]);
        lists.shift(3, SectorId(1), SectorId(4));
        assert_eq!(sorted(&lists, 1), [0]);
        lists.fill(5, [4].map(SectorId).into_iter());
        assert_eq!(sorted(&lists, 2), [] as [usize; 0], "the last pass is gone");
        assert_eq!(sorted(&lists, 1), [] as [usize; 0]);
        assert_eq!(sorted(&lists, 4), [0]);
    }

    #[test]
    fn items_come_back_by_sector_in_the_order_given() {
        let at = [3, 0, 3, 1, 3].map(SectorId);
        let b = Buckets::new(5, at.iter().copied());
        assert_eq!(b.get(SectorId(3)).collect::<Vec<_>>(), vec![0, 2, 4]);
        assert_eq!(b.get(SectorId(0)).collect::<Vec<_>>(), vec![1]);
        assert_eq!(b.get(SectorId(2)).count(), 0);
        assert_eq!(b.get(SectorId(4)).count(), 0);
    }
}
