//! The picture `khitomer autoplay --plot` draws: above, each faction's total fleet strength
//! after every turn of the first game, one line per faction in its map colour; below, every
//! faction's win rate over all games, a bar with its 95% interval. As a PNG or an SVG file.

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Failure;
use crate::content::display_path;
use crate::stats::Rate;

/// The picture's size in pixels.
const SIZE: (u32, u32) = (1000, 820);

/// The font family every text of the picture is set in.
const FAMILY: &str = "sans-serif";

/// What kind of file the picture is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A PNG picture.
    Png,
    /// An SVG drawing.
    Svg,
}

impl Format {
    /// The format a file's name asks for: `.png` or `.svg`; any other is refused.
    pub fn of(path: &Path) -> Result<Format, Failure> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("png") => Ok(Format::Png),
            Some("svg") => Ok(Format::Svg),
            _ => Err(Failure::Input(format!(
                "error: `--plot {}`: the picture is drawn as PNG or SVG; give a file name ending in `.png` or `.svg`\n",
                display_path(path)
            ))),
        }
    }
}

/// One faction's total fleet strength over a game.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    /// The faction's id (`klingon`).
    pub key: String,
    /// The name players read.
    pub name: String,
    /// Its map colour, RGB.
    pub colour: [u8; 3],
    /// (turns played, total strength of its fleets), from the start of the game.
    pub points: Vec<(u32, u32)>,
}

/// One bar of the win rates.
#[derive(Clone, Debug)]
pub struct Bar {
    /// What is written under it.
    pub label: String,
    /// Its colour, RGB.
    pub colour: [u8; 3],
    /// The games won out of the games played.
    pub rate: Rate,
}

/// What the picture shows.
pub struct Picture<'a> {
    /// The heading over the whole picture.
    pub title: String,
    /// The heading over the fleet strengths.
    pub strength_caption: String,
    /// Each faction's fleet strength per turn.
    pub tracks: &'a [Track],
    /// The win rates.
    pub bars: &'a [Bar],
}

/// Draws the picture and writes it to `path` (through a temporary file, so that `path` holds
/// either what it held before or the whole picture).
pub fn write(path: &Path, format: Format, picture: &Picture<'_>) -> Result<(), Failure> {
    register_font()?;
    let failed = |e: String| Failure::Input(format!("error: cannot draw the plot: {e}\n"));
    let bytes = match format {
        Format::Png => {
            let (width, height) = SIZE;
            let mut rgb = vec![0u8; width as usize * height as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
                draw(&root, picture).map_err(failed)?;
                root.present().map_err(|e| failed(e.to_string()))?;
            }
            let mut pixmap = tiny_skia::Pixmap::new(width, height)
                .ok_or_else(|| failed("the picture has no size".to_owned()))?;
            for (to, from) in pixmap
                .data_mut()
                .chunks_exact_mut(4)
                .zip(rgb.chunks_exact(3))
            {
                to[..3].copy_from_slice(from);
                to[3] = 255;
            }
            pixmap.encode_png().map_err(|e| failed(e.to_string()))?
        }
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                draw(&root, picture).map_err(failed)?;
                root.present().map_err(|e| failed(e.to_string()))?;
            }
            svg.into_bytes()
        }
    };
    crate::record::save::write_atomically(path, &bytes).map_err(|e| {
        Failure::Input(format!(
            "error: `--plot`: cannot write `{}`: {e}\n",
            display_path(path)
        ))
    })
}

/// Gives the drawing its font, once: the sans-serif face the game's window uses.
fn register_font() -> Result<(), Failure> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(
            FAMILY,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        )
        .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Failure::Input(
            "error: cannot draw the plot: its font cannot be read\n".to_owned(),
        ))
    }
}

fn rgb([r, g, b]: [u8; 3]) -> RGBColor {
    RGBColor(r, g, b)
}

/// Draws the whole picture on `root`.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    picture: &Picture<'_>,
) -> Result<(), String> {
    let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(text)?;
    let body = root.titled(&picture.title, (FAMILY, 24)).map_err(text)?;
    let (top, bottom) = body.split_vertically(52.percent_height());
    let (chart, legend) = top.split_horizontally((SIZE.0 - LEGEND_WIDTH) as i32);
    strengths(&chart, picture).map_err(text)?;
    key(&legend, picture.tracks).map_err(text)?;
    rates(&bottom, picture.bars).map_err(text)
}

/// The width of the key beside the fleet strengths, in pixels.
const LEGEND_WIDTH: u32 = 250;

/// Each faction's fleet strength per turn, one line each.
fn strengths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    picture: &Picture<'_>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let points = || picture.tracks.iter().flat_map(|t| t.points.iter());
    let last = points().map(|p| p.0).max().unwrap_or(0).max(1);
    let most = points().map(|p| p.1).max().unwrap_or(0).max(1);
    let top = most.saturating_add(most / 10).saturating_add(1);
    let mut chart = ChartBuilder::on(area)
        .caption(&picture.strength_caption, (FAMILY, 18))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0u32..last, 0u32..top)?;
    chart
        .configure_mesh()
        .x_desc("turn")
        .y_desc("fleet strength")
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 15))
        .max_light_lines(1)
        .light_line_style(RGBColor(240, 240, 240))
        .draw()?;
    for track in picture.tracks {
        chart.draw_series(LineSeries::new(
            track.points.iter().copied(),
            rgb(track.colour).stroke_width(3),
        ))?;
    }
    Ok(())
}

/// The key to the fleet strengths: each faction's colour and name.
fn key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tracks: &[Track],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = TextStyle::from((FAMILY, 14).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, track) in tracks.iter().enumerate() {
        let y = 60 + 24 * i as i32;
        area.draw(&PathElement::new(
            vec![(0, y), (26, y)],
            rgb(track.colour).stroke_width(4),
        ))?;
        area.draw(&Text::new(track.name.clone(), (34, y), style.clone()))?;
    }
    Ok(())
}

/// The win rates: a bar each, with its 95% interval and its rate written above.
fn rates<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[Bar],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    // An integer range counts both its ends: `0..last` is `bars.len()` segments.
    let last = bars.len().saturating_sub(1) as u32;
    let mut chart = ChartBuilder::on(area)
        .caption("Win rate over all games, with 95% interval", (FAMILY, 18))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((0u32..last).into_segmented(), 0f64..1.12f64)?;
    let label = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => bars
            .get(*i as usize)
            .map(|b| b.label.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(bars.len() + 1)
        .x_label_formatter(&label)
        .y_labels(6)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .y_desc("win rate")
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 15))
        .max_light_lines(1)
        .light_line_style(RGBColor(240, 240, 240))
        .draw()?;
    let ink = BLACK.stroke_width(2);
    let above = TextStyle::from((FAMILY, 14).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (i, bar) in bars.iter().enumerate() {
        let i = i as u32;
        let Some(interval) = bar.rate.interval() else {
            continue;
        };
        let mut block = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (SegmentValue::Exact(i + 1), interval.rate),
            ],
            rgb(bar.colour).filled(),
        );
        block.set_margin(0, 0, 30, 30);
        chart.draw_series([block])?;
        let centre = || SegmentValue::CenterOf(i);
        chart.draw_series([PathElement::new(
            vec![(centre(), interval.low), (centre(), interval.high)],
            ink,
        )])?;
        for end in [interval.low, interval.high] {
            chart
                .draw_series([EmptyElement::at((centre(), end))
                    + PathElement::new(vec![(-10, 0), (10, 0)], ink)])?;
        }
        let written = format!(
            "{:.0}% ({}/{})",
            interval.rate * 100.0,
            bar.rate.wins,
            bar.rate.games
        );
        chart.draw_series([EmptyElement::at((centre(), interval.high))
            + Text::new(written, (0, -6), above.clone())])?;
    }
    Ok(())
}
