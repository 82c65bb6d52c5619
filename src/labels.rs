//! Where the names on a map go so that none covers another: the map picture and the window
//! both place their block names through this, largest block first.

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

/// The middle of each label, in the order given, placed by one [`Placer`]: the labels are
/// placed in the order given, so the ones that matter most come first.
pub fn place(labels: &[Label]) -> Vec<Option<(f32, f32)>> {
    let mut placer = Placer::default();
    labels.iter().map(|l| placer.put(l)).collect()
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
}
