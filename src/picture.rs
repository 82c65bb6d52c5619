//! The map as a picture, drawn on the CPU with no GPU or display — for the command line
//! (`khitomer map`), bug reports and the docs. The same map as the window: sectors coloured by
//! owner (darker while occupied), sector-block borders and names (none covering another),
//! cease-fire blocks outlined in cyan and each pair of powers bound named once, links (closed
//! ones grey), capitals, shipyards, alliance headquarters and fleets, with a title and a
//! legend of the powers.
//!
//! Shapes are drawn with tiny-skia; text is each glyph's outline (ab_glyph, from the Ubuntu
//! font egui ships) filled as a path.

use ab_glyph::{Font, FontRef, OutlineCurve, PxScale, ScaleFont};
use tiny_skia::{
    Color, FillRule, LineCap, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform,
};

use crate::core::ids::{FactionId, SectorId};
use crate::core::state::WorldState;

/// How a sector's hexagon sits in the picture.
#[derive(Clone, Debug)]
pub struct Placement {
    /// Each sector's centre in the picture, in pixels, by sector id.
    pub centres: Vec<(f32, f32)>,
    /// A hexagon's circumradius, in pixels.
    pub radius: f32,
    /// The picture's size.
    pub size: (u32, u32),
    /// The block names written on the map (none until it is drawn).
    pub names: Vec<BlockName>,
}

/// A block's name as written on the map.
#[derive(Clone, Debug)]
pub struct BlockName {
    /// The block, by index.
    pub block: usize,
    /// The room it takes, `[left, top, right, bottom]` in pixels: no two names overlap.
    pub rect: [f32; 4],
    /// The cease-fires named under it, each a pair of powers.
    pub ceasefires: Vec<(FactionId, FactionId)>,
}

/// The space above the map for the title, and beside it for the legend.
const TITLE: f32 = 56.0;
const LEGEND: f32 = 290.0;
const MARGIN: f32 = 30.0;

/// Where every sector goes in a picture about `width` pixels wide: axial `(q, r)` on a
/// pointy-top grid, `r` growing downward, as in the window.
pub fn place(state: &WorldState, width: u32) -> Placement {
    let unit: Vec<(f32, f32)> = state
        .sectors
        .iter()
        .map(|s| {
            let (q, r) = (s.place.hex.x as f32, s.place.hex.y as f32);
            (3f32.sqrt() * (q + r / 2.0), 1.5 * r)
        })
        .collect();
    let (min_x, max_x) = unit
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = unit
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let span_x = (max_x - min_x + 2.0).max(1.0);
    let span_y = (max_y - min_y + 2.0).max(1.0);
    let map_width = (width as f32 - LEGEND - 2.0 * MARGIN).max(200.0);
    let radius = (map_width / span_x).clamp(2.0, 48.0);
    let height = (span_y * radius + TITLE + 2.0 * MARGIN).max(420.0);
    let centres = unit
        .iter()
        .map(|(x, y)| {
            (
                MARGIN + (x - min_x + 1.0) * radius,
                TITLE + MARGIN + (y - min_y + 1.0) * radius,
            )
        })
        .collect();
    Placement {
        centres,
        radius,
        size: (width.max(600), height.ceil() as u32),
        names: Vec::new(),
    }
}

fn colour(rgb: [u8; 3]) -> Color {
    Color::from_rgba8(rgb[0], rgb[1], rgb[2], 255)
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> [u8; 3] {
    std::array::from_fn(|i| (f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t).round() as u8)
}

/// The colour of a sector no one holds; of a sector of a power outside the scenario.
pub const UNHELD: [u8; 3] = [56, 61, 71];
/// See [`UNHELD`].
pub const OUTSIDE: [u8; 3] = [31, 31, 36];
const BACKGROUND: [u8; 3] = [8, 10, 18];
const CEASEFIRE: [u8; 3] = [77, 255, 255];

/// A sector's colour in the picture: its owner's, mixed toward grey while another power
/// occupies it.
pub fn sector_colour(state: &WorldState, sector: SectorId) -> [u8; 3] {
    let s = &state.sectors[sector.index()];
    if s.place.outside {
        return OUTSIDE;
    }
    match s.owner {
        Some(o) => {
            let c = state.factions[o.index()].colour;
            if s.occupation.is_some() {
                mix(c, UNHELD, 0.55)
            } else {
                c
            }
        }
        None => UNHELD,
    }
}

fn paint(c: [u8; 3], alpha: u8) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c[0], c[1], c[2], alpha);
    p.anti_alias = true;
    p
}

fn corners(centre: (f32, f32), radius: f32) -> [(f32, f32); 6] {
    std::array::from_fn(|k| {
        let angle = std::f32::consts::FRAC_PI_6 + std::f32::consts::FRAC_PI_3 * k as f32;
        (
            centre.0 + radius * angle.cos(),
            centre.1 + radius * angle.sin(),
        )
    })
}

/// Text drawn as glyph outlines.
struct Pen<'f> {
    font: FontRef<'f>,
}

impl Pen<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let font = self.font.as_scaled(PxScale::from(size));
        text.chars().map(|c| font.h_advance(font.glyph_id(c))).sum()
    }

    /// Writes `text` with its baseline starting at `(x, y)`.
    fn write(&self, pixmap: &mut Pixmap, text: &str, x: f32, y: f32, size: f32, c: [u8; 3]) {
        let scale = PxScale::from(size);
        let font = self.font.as_scaled(scale);
        // Outlines are in font units, y upward; the scale maps the font's height to `size`.
        let k = scale.y / self.font.height_unscaled();
        let mut pb = PathBuilder::new();
        let mut pen_x = x;
        for ch in text.chars() {
            let id = font.glyph_id(ch);
            if let Some(outline) = self.font.outline(id) {
                let at = |p: ab_glyph::Point| (pen_x + p.x * k, y - p.y * k);
                let mut last: Option<(f32, f32)> = None;
                for curve in &outline.curves {
                    let (start, end) = match curve {
                        OutlineCurve::Line(a, b) => (*a, *b),
                        OutlineCurve::Quad(a, _, b) => (*a, *b),
                        OutlineCurve::Cubic(a, _, _, b) => (*a, *b),
                    };
                    let s = at(start);
                    if last != Some(s) {
                        if last.is_some() {
                            pb.close();
                        }
                        pb.move_to(s.0, s.1);
                    }
                    match curve {
                        OutlineCurve::Line(_, b) => {
                            let e = at(*b);
                            pb.line_to(e.0, e.1);
                        }
                        OutlineCurve::Quad(_, c1, b) => {
                            let (c, e) = (at(*c1), at(*b));
                            pb.quad_to(c.0, c.1, e.0, e.1);
                        }
                        OutlineCurve::Cubic(_, c1, c2, b) => {
                            let (c, d, e) = (at(*c1), at(*c2), at(*b));
                            pb.cubic_to(c.0, c.1, d.0, d.1, e.0, e.1);
                        }
                    }
                    last = Some(at(end));
                }
                if last.is_some() {
                    pb.close();
                }
            }
            pen_x += font.h_advance(id);
        }
        if let Some(path) = pb.finish() {
            pixmap.fill_path(
                &path,
                &paint(c, 255),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    /// Writes `text` centred on `x` (kept inside the picture), with a dark shadow so that it
    /// reads on any colour.
    fn label(&self, pixmap: &mut Pixmap, text: &str, x: f32, y: f32, size: f32, c: [u8; 3]) {
        let w = self.width(text, size);
        let x = x.clamp(
            w / 2.0 + 4.0,
            (pixmap.width() as f32 - w / 2.0 - 4.0).max(w / 2.0),
        );
        self.write(pixmap, text, x - w / 2.0 + 1.0, y + 1.0, size, [0, 0, 0]);
        self.write(pixmap, text, x - w / 2.0, y, size, c);
    }
}

/// The whole picture of a world, about `width` pixels wide.
pub fn draw(state: &WorldState, width: u32) -> (Pixmap, Placement) {
    let placement = place(state, width);
    let (w, h) = placement.size;
    let mut pixmap = Pixmap::new(w, h).expect("a picture of a sensible size");
    pixmap.fill(colour(BACKGROUND));
    let pen = Pen {
        font: FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT)
            .expect("the font egui ships reads"),
    };
    let r = placement.radius;
    let centre = |s: SectorId| placement.centres[s.index()];
    let n = state.sectors.len();

    // Sectors, filled by owner, with a thin seam between them.
    for i in 0..n {
        let s = SectorId::from_index(i);
        let mut pb = PathBuilder::new();
        let cs = corners(centre(s), r * 0.97);
        pb.move_to(cs[0].0, cs[0].1);
        for c in &cs[1..] {
            pb.line_to(c.0, c.1);
        }
        pb.close();
        if let Some(path) = pb.finish() {
            pixmap.fill_path(
                &path,
                &paint(sector_colour(state, s), 255),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    // Block borders: a hex edge with no sector of the same block across it.
    let truces: Vec<(usize, Vec<(FactionId, FactionId)>)> = state
        .diplomacy
        .ceasefire_blocks()
        .into_iter()
        .map(|(b, pairs)| (b.index(), pairs))
        .collect();
    let block_of = |s: SectorId| state.sectors[s.index()].place.block;
    let by_hex: std::collections::BTreeMap<(i32, i32), SectorId> = state
        .sectors
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.place.hex.x, s.place.hex.y), SectorId::from_index(i)))
        .collect();
    // Neighbours in the order of `corners`' edges (k to k+1), for axial coordinates with r
    // growing downward.
    const ACROSS: [(i32, i32); 6] = [(0, 1), (-1, 1), (-1, 0), (0, -1), (1, -1), (1, 0)];
    let mut borders = PathBuilder::new();
    let mut truce_borders = PathBuilder::new();
    for i in 0..n {
        let s = SectorId::from_index(i);
        let hex = (state.sectors[i].place.hex.x, state.sectors[i].place.hex.y);
        let cs = corners(centre(s), r);
        for k in 0..6 {
            let other = by_hex.get(&(hex.0 + ACROSS[k].0, hex.1 + ACROSS[k].1));
            if other.is_some_and(|&o| block_of(o) == block_of(s)) {
                continue;
            }
            let (a, b) = (cs[k], cs[(k + 1) % 6]);
            let pb = if truces.iter().any(|(blk, _)| *blk == block_of(s).index()) {
                &mut truce_borders
            } else {
                &mut borders
            };
            pb.move_to(a.0, a.1);
            pb.line_to(b.0, b.1);
        }
    }
    let stroke = |width: f32| Stroke {
        width,
        line_cap: LineCap::Round,
        ..Stroke::default()
    };
    if let Some(path) = borders.finish() {
        pixmap.stroke_path(
            &path,
            &paint([240, 240, 240], 210),
            &stroke((r * 0.06).max(1.0)),
            Transform::identity(),
            None,
        );
    }
    if let Some(path) = truce_borders.finish() {
        pixmap.stroke_path(
            &path,
            &paint(CEASEFIRE, 255),
            &stroke((r * 0.12).max(1.5)),
            Transform::identity(),
            None,
        );
    }

    // Links: gateways, wormholes, conduits; closed ones grey and dashed.
    for link in &state.links {
        let (a, b) = (centre(link.ends[0]), centre(link.ends[1]));
        let mut pb = PathBuilder::new();
        pb.move_to(a.0, a.1);
        pb.line_to(b.0, b.1);
        let Some(path) = pb.finish() else { continue };
        let mut s = stroke((r * 0.06).max(1.0));
        let c = if link.open {
            [255, 217, 77]
        } else {
            s.dash = StrokeDash::new(vec![r * 0.3, r * 0.2], 0.0);
            [150, 150, 150]
        };
        pixmap.stroke_path(&path, &paint(c, 230), &s, Transform::identity(), None);
    }

    // Capitals (a white disc in a ring), shipyards (a white square), headquarters (a triangle).
    let white = paint([255, 255, 255], 255);
    for (i, s) in state.sectors.iter().enumerate() {
        if s.shipyard {
            let c = centre(SectorId::from_index(i));
            let side = r * 0.22;
            if let Some(rect) = Rect::from_xywh(
                c.0 - r * 0.53 - side / 2.0,
                c.1 + r * 0.53 - side / 2.0,
                side,
                side,
            ) {
                pixmap.fill_rect(rect, &white, Transform::identity(), None);
            }
        }
    }
    for f in state.factions.iter().filter(|f| f.defeated.is_none()) {
        if let Some(cap) = f.capital {
            let c = centre(cap);
            let (x, y) = (c.0 + r * 0.53, c.1 + r * 0.53);
            if let Some(path) = PathBuilder::from_circle(x, y, r * 0.11) {
                pixmap.fill_path(
                    &path,
                    &white,
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
            if let Some(path) = PathBuilder::from_circle(x, y, r * 0.19) {
                pixmap.stroke_path(
                    &path,
                    &white,
                    &stroke((r * 0.04).max(1.0)),
                    Transform::identity(),
                    None,
                );
            }
        }
    }
    for a in state
        .diplomacy
        .alliances
        .iter()
        .filter(|a| a.dissolved.is_none())
    {
        if let Some(hq) = a.hq {
            let c = centre(hq);
            let (x, y, d) = (c.0, c.1 - r * 0.62, r * 0.18);
            let mut pb = PathBuilder::new();
            pb.move_to(x - d, y + d * 0.7);
            pb.line_to(x + d, y + d * 0.7);
            pb.line_to(x, y - d);
            pb.close();
            if let Some(path) = pb.finish() {
                pixmap.fill_path(
                    &path,
                    &paint([255, 230, 102], 255),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
        }
    }

    // Fleets: a disc in the owner's colour with a dark rim, and the strength.
    let mut here: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, f) in state.fleets.iter().enumerate() {
        here[f.sector.index()].push(k);
    }
    for (i, list) in here.iter().enumerate() {
        let c = centre(SectorId::from_index(i));
        for (j, &k) in list.iter().enumerate() {
            let f = &state.fleets[k];
            let (x, y) = if list.len() <= 1 {
                c
            } else {
                let angle = std::f32::consts::TAU * j as f32 / list.len() as f32
                    - std::f32::consts::FRAC_PI_2;
                (c.0 + r * 0.4 * angle.cos(), c.1 + r * 0.4 * angle.sin())
            };
            let disc = r * 0.27;
            if let Some(path) = PathBuilder::from_circle(x, y, disc + r * 0.05) {
                pixmap.fill_path(
                    &path,
                    &paint([13, 13, 20], 255),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
            if let Some(path) = PathBuilder::from_circle(x, y, disc) {
                let owner = state.factions[f.owner.index()].colour;
                pixmap.fill_path(
                    &path,
                    &paint(owner, 255),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
            if r >= 14.0 {
                let size = (r * 0.3).max(7.0);
                pen.label(
                    &mut pixmap,
                    &f.strength.to_string(),
                    x,
                    y + size * 0.35,
                    size,
                    [255, 255, 255],
                );
            }
        }
    }

    // Block names at each block's middle.
    let mut sums = vec![(0.0f32, 0.0f32, 0u32); state.blocks.len()];
    for i in 0..n {
        let b = block_of(SectorId::from_index(i)).index();
        let c = centre(SectorId::from_index(i));
        sums[b].0 += c.0;
        sums[b].1 += c.1;
        sums[b].2 += 1;
    }
    let size = (r * 0.38).clamp(9.0, 16.0);
    let small = size * 0.85;
    let line = size * 1.2;
    let ceasefire_line = |(a, z): &(FactionId, FactionId)| {
        format!(
            "cease-fire: {} / {}",
            state.factions[a.index()].name,
            state.factions[z.index()].name
        )
    };
    // A name that would cover one already written moves lower in its block or above it, and
    // gives way where it cannot (see `labels::name_blocks`).
    let blocks: Vec<(u32, &[(FactionId, FactionId)])> = sums
        .iter()
        .enumerate()
        .map(|(b, &(_, _, count))| {
            let pairs = truces
                .iter()
                .find(|(blk, _)| *blk == b)
                .map_or(&[][..], |(_, p)| p.as_slice());
            (count, pairs)
        })
        .collect();
    let min_sectors = if n <= 400 { 1 } else { 20 };
    let names = crate::labels::name_blocks(&blocks, min_sectors, |b, pairs| {
        let (x, y, count) = sums[b];
        let (x, y) = (x / count as f32, y / count as f32);
        let pairs = pairs.unwrap_or_default();
        let w = pairs
            .iter()
            .map(|p| pen.width(&ceasefire_line(p), small))
            .fold(pen.width(&state.blocks[b].name, size), f32::max);
        let h = size + line * pairs.len() as f32 + size * 0.3;
        // The name's baseline sits `size` below the label's top.
        let middle = |baseline: f32| baseline - size + h / 2.0;
        // Kept inside the picture, as the pen keeps what it writes.
        let x = x.clamp(
            w / 2.0 + 4.0,
            (pixmap.width() as f32 - w / 2.0 - 4.0).max(w / 2.0),
        );
        let label = crate::labels::Label {
            at: (x, middle(y - r * 0.55)),
            size: (w + 6.0, h),
            instead: vec![
                (x, middle(y + r * 0.75)),
                (x, middle(y - r * 1.5)),
                (x, middle(y + r * 1.7)),
            ],
        };
        (label, ())
    });
    for named in &names {
        let ((lx, mid), (_, h)) = (named.at, named.size);
        let c = if blocks[named.block].1.is_empty() {
            [255, 255, 255]
        } else {
            CEASEFIRE
        };
        let baseline = mid - h / 2.0 + size;
        pen.label(
            &mut pixmap,
            &state.blocks[named.block].name,
            lx,
            baseline,
            size,
            c,
        );
        for (row, pair) in named.ceasefires.iter().enumerate() {
            let text = ceasefire_line(pair);
            pen.label(
                &mut pixmap,
                &text,
                lx,
                baseline + line * (row + 1) as f32,
                small,
                CEASEFIRE,
            );
        }
    }
    let names = names
        .into_iter()
        .map(|named| {
            let ((x, y), (w, h)) = (named.at, named.size);
            BlockName {
                block: named.block,
                rect: [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0],
                ceasefires: named.ceasefires,
            }
        })
        .collect();

    // The title and the legend.
    let title = format!(
        "{} — {} (turn {} of {})",
        state.scenario.title,
        state
            .calendar
            .date_of(state.calendar.turn.min(state.calendar.last_turn)),
        state.calendar.turn,
        state.calendar.last_turn
    );
    pen.write(&mut pixmap, &title, MARGIN, 36.0, 22.0, [235, 235, 235]);
    let lx = w as f32 - LEGEND + 10.0;
    let mut ly = TITLE + MARGIN;
    pen.write(&mut pixmap, "Powers", lx, ly, 17.0, [235, 235, 235]);
    ly += 10.0;
    for (i, f) in state.factions.iter().enumerate() {
        let id = FactionId::from_index(i);
        let held = state.sectors.iter().filter(|s| s.owner == Some(id)).count();
        let strength: u32 = state
            .fleets
            .iter()
            .filter(|x| x.owner == id)
            .map(|x| x.strength)
            .sum();
        ly += 22.0;
        if let Some(rect) = Rect::from_xywh(lx, ly - 13.0, 16.0, 16.0) {
            pixmap.fill_rect(rect, &paint(f.colour, 255), Transform::identity(), None);
        }
        let status = if f.defeated.is_some() {
            "defeated".to_owned()
        } else {
            format!("{held} sectors, {strength} strength")
        };
        pen.write(&mut pixmap, &f.name, lx + 24.0, ly, 13.0, [230, 230, 230]);
        ly += 15.0;
        pen.write(&mut pixmap, &status, lx + 24.0, ly, 11.0, [160, 160, 160]);
    }
    ly += 30.0;
    for (text, c) in [
        ("cyan border: a cease-fire block", CEASEFIRE),
        ("gold line: an open link", [255, 217, 77]),
        ("grey line: a closed link", [150, 150, 150]),
        ("ringed disc: a capital", [255, 255, 255]),
        ("square: a shipyard", [255, 255, 255]),
        ("triangle: alliance headquarters", [255, 230, 102]),
        ("disc with a number: a fleet", [255, 255, 255]),
    ] {
        pen.write(&mut pixmap, text, lx, ly, 12.0, c);
        ly += 17.0;
    }
    (pixmap, Placement { names, ..placement })
}
