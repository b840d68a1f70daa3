//! Hand-drawn SVG charts of a series of (day `YYYY-MM-DD`, whole number): a line, or bars
//! from zero. Numbers are written with Vietnamese thousands separators; days with the
//! formatter given (`format_day`: dd/mm/yyyy, `day_month`: dd/mm). No plotting crate: the
//! wasm has a size budget.

use yew::prelude::*;

use crate::text::{format_day, thousands, whole};

const W: f64 = 600.0;
const H: f64 = 180.0;
const TOP: f64 = 10.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 10.0;
/// The width of a character of the axis' 12px text, roughly.
const CHAR: f64 = 6.5;

/// What a chart shows and how it is named.
#[derive(Clone, Copy)]
pub struct Chart<'a> {
    /// The accessible name of the `svg`.
    pub label: &'a str,
    /// Its figure's style class besides `progress-chart stats-chart`.
    pub class: &'static str,
    /// How a day is written under the chart.
    pub day: fn(&str) -> String,
}

/// The smallest and largest value, a little apart when equal.
#[expect(
    clippy::cast_precision_loss,
    reason = "page figures are far below 2^52"
)]
fn bounds(points: &[(&str, i64)], from_zero: bool) -> (f64, f64) {
    let max = points.iter().map(|(_, v)| *v).max().unwrap_or(0) as f64;
    let min = if from_zero {
        0.0
    } else {
        points.iter().map(|(_, v)| *v).min().unwrap_or(0) as f64
    };
    if max > min {
        (min, max)
    } else if from_zero {
        // All zero (or less): the bars stay flat on the axis.
        (min, min + 2.0)
    } else {
        (min - 1.0, max + 1.0)
    }
}

/// Which of `n` points get a day under them, each `width` wide: every k-th and the last.
fn labelled(n: usize, width: f64) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a handful of labels"
    )]
    let fits = (((W - LEFT - RIGHT) / (width + 6.0)).floor() as usize).max(2);
    let every = n.div_ceil(fits).max(1);
    let mut shown: Vec<usize> = (0..n).step_by(every).collect();
    let last = n - 1;
    if shown.last() != Some(&last) {
        // Too close to the last to keep both.
        if shown.len() > 1 && shown.last().is_some_and(|l| last - l < every) {
            shown.pop();
        }
        shown.push(last);
    }
    shown
}

/// The grid lines with their values, and days under the points at `xs`.
fn frame(
    points: &[(&str, i64)],
    xs: &[f64],
    min: f64,
    max: f64,
    chart: Chart,
    edges: bool,
) -> Html {
    let y = |value: f64| whole(TOP + H - (value - min) / (max - min) * H);
    let grid = [min, f64::midpoint(min, max), max].into_iter().map(|value| {
        let at = y(value).to_string();
        html! {
            <>
                <line x1={whole(LEFT).to_string()} x2={whole(W - RIGHT).to_string()} y1={at.clone()} y2={at}
                    stroke="#ccc" stroke-width="1" />
                <text x="0" y={(y(value) + 4).to_string()} font-size="12" fill="#666">{ thousands(whole(value)) }</text>
            </>
        }
    });
    let days: Vec<String> = points.iter().map(|p| (chart.day)(p.0)).collect();
    #[expect(clippy::cast_precision_loss, reason = "a few characters")]
    let width = days.iter().map(|d| d.chars().count()).max().unwrap_or(0) as f64 * CHAR;
    let last = points.len().saturating_sub(1);
    let axis = labelled(points.len(), width).into_iter().map(|i| {
        // On a line the first and last points sit on the chart's edges.
        let anchor = match i {
            0 if edges => "start",
            i if edges && i == last => "end",
            _ => "middle",
        };
        html! {
            <text class="axis-day" x={whole(xs[i]).to_string()} y={whole(H + TOP + 18.0).to_string()}
                font-size="12" fill="#666" text-anchor={anchor}>{ days[i].clone() }</text>
        }
    });
    html! {
        <>
            { for grid }
            { for axis }
        </>
    }
}

fn figure(chart: Chart, body: Html) -> Html {
    html! {
        <figure class={classes!("progress-chart", "stats-chart", chart.class)}>
            <svg viewBox={format!("0 0 {} {}", whole(W), whole(H + TOP + 24.0))} role="img"
                aria-label={chart.label.to_owned()}>
                <title>{ chart.label }</title>
                { body }
            </svg>
        </figure>
    }
}

/// A line through `points` (day, value).
#[expect(
    clippy::cast_precision_loss,
    reason = "at most 400 points, figures far below 2^52"
)]
pub fn line_chart(points: &[(&str, i64)], chart: Chart) -> Html {
    let (min, max) = bounds(points, false);
    let step = (W - LEFT - RIGHT) / (points.len().saturating_sub(1).max(1)) as f64;
    let xs: Vec<f64> = (0..points.len()).map(|i| LEFT + i as f64 * step).collect();
    let line = points
        .iter()
        .zip(&xs)
        .map(|((_, v), x)| {
            let y = TOP + H - (*v as f64 - min) / (max - min) * H;
            format!("{},{}", whole(*x), whole(y))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points.iter().zip(&xs).map(|((day, v), x)| {
        let y = TOP + H - (*v as f64 - min) / (max - min) * H;
        html! {
            <circle class="point-value" cx={whole(*x).to_string()} cy={whole(y).to_string()} r="3">
                <title>{ format!("{}: {}", format_day(day), thousands(*v)) }</title>
            </circle>
        }
    });
    figure(
        chart,
        html! {
            <>
                { frame(points, &xs, min, max, chart, true) }
                <polyline points={line} class="series series-0" />
                { for dots }
            </>
        },
    )
}

/// A bar per point (day, value), from zero.
#[expect(
    clippy::cast_precision_loss,
    reason = "at most 400 points, figures far below 2^52"
)]
pub fn bar_chart(points: &[(&str, i64)], chart: Chart) -> Html {
    let (min, max) = bounds(points, true);
    let slot = (W - LEFT - RIGHT) / points.len().max(1) as f64;
    let xs: Vec<f64> = (0..points.len())
        .map(|i| LEFT + i as f64 * slot + slot / 2.0)
        .collect();
    let bars = points.iter().zip(&xs).map(|((day, v), x)| {
        let height = ((*v as f64 - min) / (max - min) * H).max(0.0);
        html! {
            <rect class="bar-value" x={whole(x - slot * 0.4).to_string()}
                y={whole(TOP + H - height).to_string()} width={whole((slot * 0.8).max(1.0)).to_string()}
                height={whole(height).to_string()} fill="#1565c0">
                <title>{ format!("{}: {}", format_day(day), thousands(*v)) }</title>
            </rect>
        }
    });
    figure(
        chart,
        html! {
            <>
                { frame(points, &xs, min, max, chart, false) }
                { for bars }
            </>
        },
    )
}

#[cfg(test)]
mod tests {
    use super::{bounds, labelled};

    #[test]
    fn every_day_fits_under_a_short_series_and_the_last_is_always_shown() {
        assert_eq!(labelled(13, 35.0), (0..13).collect::<Vec<_>>());
        let long = labelled(90, 70.0);
        assert_eq!(long.first(), Some(&0));
        assert_eq!(long.last(), Some(&89));
        assert!(long.len() <= 8);
        assert_eq!(labelled(0, 35.0), Vec::<usize>::new());
        assert_eq!(labelled(1, 35.0), vec![0]);
    }

    #[test]
    fn flat_series_get_room() {
        assert_eq!(
            bounds(&[("2026-11-01", 0), ("2026-11-08", 0)], true),
            (0.0, 2.0)
        );
        assert_eq!(
            bounds(&[("2026-11-01", 5), ("2026-11-08", 5)], false),
            (4.0, 6.0)
        );
        assert_eq!(
            bounds(&[("2026-11-01", 3), ("2026-11-08", 9)], true),
            (0.0, 9.0)
        );
    }
}
