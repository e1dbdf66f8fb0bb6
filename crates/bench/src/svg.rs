//! Line charts as standalone SVG, written by hand: the plots of docs/bench/
//! need nothing more than axes, log scales, lines, points and a legend.
use std::fmt::Write as _;

/// One line of a chart.
pub struct Series {
    /// Legend label.
    pub name: String,
    /// Points (x, y); non-positive values are dropped on log axes.
    pub points: Vec<(f64, f64)>,
}

/// A chart.
pub struct Chart<'a> {
    /// Title above the plot.
    pub title: &'a str,
    /// X axis label.
    pub x_label: &'a str,
    /// Y axis label.
    pub y_label: &'a str,
    /// Log-scaled x axis.
    pub log_x: bool,
    /// Log-scaled y axis.
    pub log_y: bool,
    /// Draw markers at points.
    pub markers: bool,
}

const COLORS: &[&str] = &[
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];
const W: f64 = 640.0;
const H: f64 = 400.0;
const L: f64 = 70.0;
const R: f64 = 20.0;
const T: f64 = 40.0;
const B: f64 = 50.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if a >= 1e9 {
        format!("{}G", v / 1e9)
    } else if a >= 1e6 {
        format!("{}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{}k", v / 1e3)
    } else if a >= 1.0 {
        format!("{}", (v * 100.0).round() / 100.0)
    } else {
        format!("{v:.2e}").replace("e0", "").replace("e-", "e-")
    }
}

/// Tick values for an axis over [lo, hi].
fn ticks(lo: f64, hi: f64, log: bool) -> Vec<f64> {
    if log {
        let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        let mut v: Vec<f64> = (a..=b).map(|e| 10f64.powi(e)).collect();
        if v.len() <= 2 {
            v = (a..=b)
                .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
                .collect();
        }
        v.into_iter()
            .filter(|t| *t >= lo * 0.999 && *t <= hi * 1.001)
            .collect()
    } else {
        let span = (hi - lo).max(1e-12);
        let raw = span / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| span / s <= 6.0)
            .unwrap_or(mag * 10.0);
        let mut t = (lo / step).ceil() * step;
        let mut v = Vec::new();
        while t <= hi + step * 1e-9 {
            v.push(t);
            t += step;
        }
        v
    }
}

impl Chart<'_> {
    /// The chart as an SVG document.
    pub fn render(&self, series: &[Series]) -> String {
        let ok = |x: f64, y: f64| {
            x.is_finite() && y.is_finite() && (!self.log_x || x > 0.0) && (!self.log_y || y > 0.0)
        };
        let pts: Vec<(f64, f64)> = series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .filter(|p| ok(p.0, p.1))
            .collect();
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, y) in &pts {
            x0 = x0.min(*x);
            x1 = x1.max(*x);
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
        if pts.is_empty() {
            (x0, x1, y0, y1) = (1.0, 10.0, 1.0, 10.0);
        }
        if !self.log_y {
            y0 = y0.min(0.0);
        }
        let pad = |lo: f64, hi: f64, log: bool| -> (f64, f64) {
            if log {
                let (a, b) = (lo.log10(), hi.log10());
                let p = ((b - a) * 0.05).max(0.05);
                (10f64.powf(a - p), 10f64.powf(b + p))
            } else {
                let p = ((hi - lo) * 0.05).max(1e-9);
                (if lo == 0.0 { 0.0 } else { lo - p }, hi + p)
            }
        };
        let (x0, x1) = pad(x0, x1, self.log_x);
        let (y0, y1) = pad(y0, y1, self.log_y);
        let f = |v: f64, log: bool| if log { v.log10() } else { v };
        let sx = |x: f64| {
            L + (f(x, self.log_x) - f(x0, self.log_x)) / (f(x1, self.log_x) - f(x0, self.log_x))
                * (W - L - R)
        };
        let sy = |y: f64| {
            H - B
                - (f(y, self.log_y) - f(y0, self.log_y)) / (f(y1, self.log_y) - f(y0, self.log_y))
                    * (H - T - B)
        };
        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{}</text>"#,
            W / 2.0,
            esc(self.title)
        );
        for t in ticks(x0, x1, self.log_x) {
            let x = sx(t);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{T}" x2="{x:.1}" y2="{}" stroke="#e5e5e5"/>"##,
                H - B
            );
            let _ = writeln!(
                s,
                r#"<text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
                H - B + 16.0,
                fmt_tick(t)
            );
        }
        for t in ticks(y0, y1, self.log_y) {
            let y = sy(t);
            let _ = writeln!(
                s,
                r##"<line x1="{L}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#e5e5e5"/>"##,
                W - R
            );
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
                L - 6.0,
                y + 4.0,
                fmt_tick(t)
            );
        }
        let _ = writeln!(
            s,
            r##"<rect x="{L}" y="{T}" width="{}" height="{}" fill="none" stroke="#333"/>"##,
            W - L - R,
            H - T - B
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            (L + W - R) / 2.0,
            H - 12.0,
            esc(self.x_label)
        );
        let _ = writeln!(
            s,
            r#"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle">{}</text>"#,
            (T + H - B) / 2.0,
            esc(self.y_label)
        );
        for (i, se) in series.iter().enumerate() {
            let c = COLORS[i % COLORS.len()];
            let p: Vec<String> = se
                .points
                .iter()
                .filter(|p| ok(p.0, p.1))
                .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
                .collect();
            if p.len() > 1 {
                let _ = writeln!(
                    s,
                    r#"<polyline fill="none" stroke="{c}" stroke-width="2" points="{}"/>"#,
                    p.join(" ")
                );
            }
            if self.markers || p.len() == 1 {
                for (x, y) in se.points.iter().filter(|p| ok(p.0, p.1)) {
                    let _ = writeln!(
                        s,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{c}"/>"#,
                        sx(*x),
                        sy(*y)
                    );
                }
            }
            let ly = T + 16.0 + i as f64 * 16.0;
            let _ = writeln!(
                s,
                r#"<rect x="{}" y="{}" width="12" height="3" fill="{c}"/>"#,
                L + 10.0,
                ly - 4.0
            );
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{ly}">{}</text>"#,
                L + 28.0,
                esc(&se.name)
            );
        }
        s.push_str("</svg>\n");
        s
    }
}
