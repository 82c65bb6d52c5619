//! A value per sector that a new pass forgets at once: each cell carries the stamp of the pass
//! that wrote it, so a pass costs what it touches and not the size of the map. Searches and
//! per-faction tables reuse one across passes.

use super::ids::SectorId;

/// One value per sector, valid for the sectors written since the last [`Stamped::start`].
#[derive(Clone, Debug, Default)]
pub struct Stamped<T> {
    /// (the pass that wrote the sector, its value), side by side so that one cache line
    /// answers both. The stamp is two bytes, so that a table of small values packs twice as
    /// many sectors to a cache line; every 65,535 passes the table is cleared once.
    cells: Vec<(u16, T)>,
    stamp: u16,
}

impl<T: Copy + Default> Stamped<T> {
    /// Forgets every value, for a map of `n` sectors.
    pub fn start(&mut self, n: usize) {
        if self.cells.len() != n {
            self.cells = vec![(0, T::default()); n];
            self.stamp = 0;
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.cells.fill((0, T::default()));
            self.stamp = 1;
        }
    }

    /// The value written for `s` in this pass, if one was.
    #[inline]
    pub fn get(&self, s: SectorId) -> Option<T> {
        match self.cells.get(s.index()) {
            Some(&(stamp, value)) if stamp == self.stamp => Some(value),
            _ => None,
        }
    }

    /// Writes the value of `s` for this pass.
    #[inline]
    pub fn set(&mut self, s: SectorId, value: T) {
        self.cells[s.index()] = (self.stamp, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_forgets_the_last_even_when_the_stamps_come_round_again() {
        let mut t: Stamped<u16> = Stamped::default();
        t.start(4);
        t.set(SectorId(2), 7);
        assert_eq!(t.get(SectorId(2)), Some(7));
        assert_eq!(t.get(SectorId(1)), None);
        // Every stamp is used once more, the first of them last: a cell written in the first
        // pass must not read as written now.
        for _ in 0..u16::MAX {
            t.start(4);
            assert_eq!(t.get(SectorId(2)), None);
        }
        t.set(SectorId(3), 1);
        assert_eq!(t.get(SectorId(3)), Some(1));
        t.start(5);
        assert_eq!(t.get(SectorId(3)), None, "a new size starts afresh");
    }
}
