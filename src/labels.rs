//! Where the names on a map go so that none covers another: the map picture and the window
//! both place their block names through [`name_blocks`], largest block first.

use crate::core::ids::FactionId;

/// A label to place: the point it belongs to, its size, and where it may go instead.
#[derive(Clone, Debug)]
pub struct Label {
    /// Where the label's middle goes when nothing is in the way.
    pub at: (f32, f32),
    /// Its width and height.
    pub size: (f32, f32),
    /// Other places for its middle, in the order tried, when the first is taken.
    pub instead: Vec<(f32, f32)>,
}

/// Labels placed so far.
#[derive(Default)]
pub struct Placer {
    /// Each placed label's rectangle, `[left, top, right, bottom]`.
    taken: Vec<[f32; 4]>,
}

impl Placer {
    /// The middle of `label`: the first of its places that overlaps no label placed before,
    /// or `None` where every place does (and nothing is placed).
    pub fn put(&mut self, label: &Label) -> Option<(f32, f32)> {
        let (w, h) = label.size;
        let rect = |(x, y): (f32, f32)| [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0];
        let spot = std::iter::once(label.at)
            .chain(label.instead.iter().copied())
            .find(|&at| !self.taken.iter().any(|t| overlap(t, &rect(at))))?;
        self.taken.push(rect(spot));
        Some(spot)
    }
}

/// Two powers under a cease-fire.
pub type Pair = (FactionId, FactionId);

/// A block's name as placed, with what its writer made of it.
#[derive(Clone, Debug)]
pub struct Named<T> {
    /// The block, by index.
    pub block: usize,
    /// The label's middle.
    pub at: (f32, f32),
    /// The label's width and height.
    pub size: (f32, f32),
    /// The cease-fires named under it.
    pub ceasefires: Vec<Pair>,
    /// What the writer gave with the label (its lines, say).
    pub text: T,
}

/// The blocks' names, each block given as (its sectors, the cease-fires it may name); blocks
/// with no sector or fewer than `min_sectors` go unnamed. The largest blocks are named first.
/// Each pair's cease-fire is named once, under the largest of its blocks whose label finds
/// room with it. `label(block, pairs)` is the block's label and its text: naming `pairs`
/// (`Some`, perhaps none), or its name alone (`None`), tried when the first finds no room; a
/// label that finds no room either way gives way.
pub fn name_blocks<T>(
    blocks: &[(u32, &[Pair])],
    min_sectors: u32,
    mut label: impl FnMut(usize, Option<&[Pair]>) -> (Label, T),
) -> Vec<Named<T>> {
    let mut order: Vec<usize> = (0..blocks.len())
        .filter(|&b| blocks[b].0 > 0 && blocks[b].0 >= min_sectors)
        .collect();
    order.sort_by_key(|&b| (std::cmp::Reverse(blocks[b].0), b));
    let mut named: Vec<Pair> = Vec::new();
    let mut placer = Placer::default();
    let mut out = Vec::new();
    for b in order {
        let fresh: Vec<Pair> = blocks[b]
            .1
            .iter()
            .filter(|p| !named.contains(p))
            .copied()
            .collect();
        let placed = [Some(fresh.as_slice()), None]
            .into_iter()
            .find_map(|pairs| {
                let (l, text) = label(b, pairs);
                let at = placer.put(&l)?;
                Some(Named {
                    block: b,
                    at,
                    size: l.size,
                    ceasefires: pairs.unwrap_or_default().to_vec(),
                    text,
                })
            });
        if let Some(n) = placed {
            named.extend(&n.ceasefires);
            out.push(n);
        }
    }
    out
}

/// Whether two rectangles, each `[left, top, right, bottom]`, share more than an edge.
fn overlap(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(at: (f32, f32), w: f32, instead: &[(f32, f32)]) -> Label {
        Label {
            at,
            size: (w, 10.0),
            instead: instead.to_vec(),
        }
    }

    fn place(labels: &[Label]) -> Vec<Option<(f32, f32)>> {
        let mut placer = Placer::default();
        labels.iter().map(|l| placer.put(l)).collect()
    }

    #[test]
    fn labels_that_would_overlap_move_or_give_way() {
        let placed = place(&[
            label((0.0, 0.0), 40.0, &[]),
            // Overlaps the first where it wants to be; its second place is clear.
            label((30.0, 0.0), 40.0, &[(30.0, 12.0)]),
            // Overlaps both wherever it may go: it gives way.
            label((10.0, 5.0), 40.0, &[(25.0, 8.0)]),
            // Touches the first's edge only: it stays.
            label((40.0, 0.0), 40.0, &[]),
            // Far from all.
            label((200.0, 200.0), 40.0, &[]),
        ]);
        assert_eq!(
            placed,
            vec![
                Some((0.0, 0.0)),
                Some((30.0, 12.0)),
                None,
                Some((40.0, 0.0)),
                Some((200.0, 200.0)),
            ]
        );
    }

    #[test]
    fn no_two_placed_labels_overlap() {
        // A crowd of labels on a small grid, each with four places to try.
        let labels: Vec<Label> = (0..60)
            .map(|k| {
                let (x, y) = ((k % 8) as f32 * 17.0, (k / 8) as f32 * 9.0);
                label(
                    (x, y),
                    30.0 + (k % 5) as f32 * 7.0,
                    &[(x, y - 11.0), (x, y + 11.0), (x + 20.0, y)],
                )
            })
            .collect();
        let placed = place(&labels);
        assert!(placed.iter().filter(|p| p.is_some()).count() >= 10);
        let rects: Vec<[f32; 4]> = placed
            .iter()
            .zip(&labels)
            .filter_map(|(p, l)| {
                p.map(|(x, y)| {
                    let (w, h) = l.size;
                    [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0]
                })
            })
            .collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!overlap(a, b), "{a:?} and {b:?} overlap");
            }
        }
    }

    #[test]
    fn blocks_are_named_largest_first_and_each_cease_fire_once() {
        let pair = (FactionId(0), FactionId(1));
        let ceasefire = [pair];
        // Block 0 is small; 1 and 2 are large and share a cease-fire; 3 has no sector; 4 is
        // as large as 1 but named after it (by index), on the same spot: it gives way.
        let blocks: [(u32, &[Pair]); 5] = [
            (1, &[]),
            (9, &ceasefire),
            (5, &ceasefire),
            (0, &[]),
            (9, &[]),
        ];
        let spot = |b: usize| (b as f32 * 100.0, 0.0);
        let named = name_blocks(&blocks, 1, |b, pairs| {
            let at = if b == 4 { spot(1) } else { spot(b) };
            let rows = pairs.map_or(0, <[Pair]>::len);
            (
                Label {
                    at,
                    size: (50.0, 10.0 * (1 + rows) as f32),
                    instead: Vec::new(),
                },
                rows,
            )
        });
        let order: Vec<usize> = named.iter().map(|n| n.block).collect();
        assert_eq!(
            order,
            [1, 2, 0],
            "largest first; 3 has no sector, 4 found no room"
        );
        assert_eq!(named[0].ceasefires, [pair], "named under the larger block");
        assert_eq!(named[0].text, 1);
        assert!(named[1].ceasefires.is_empty(), "and only once");
        let large = name_blocks(&blocks, 6, |b, _| {
            (
                Label {
                    at: spot(b),
                    size: (50.0, 10.0),
                    instead: Vec::new(),
                },
                (),
            )
        });
        let order: Vec<usize> = large.iter().map(|n| n.block).collect();
        assert_eq!(order, [1, 4], "only blocks of six sectors or more");
    }
}
