//! Items grouped by the sector they are in, in one counting pass: what finding a sector's
//! items costs is what is there, and grouping them costs the items and the map, never a sort.
//! Control and the AI group fleets by sector this way once a turn.

use super::ids::SectorId;

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

#[cfg(test)]
mod tests {
    use super::*;

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
