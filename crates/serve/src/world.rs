//! Country outlines for the maps: Natural Earth 1:110m (public domain) as
//! TopoJSON from the npm package world-atlas (fetched by
//! `scripts/fetch-world-atlas.sh`), decoded once and built into the binary.
use maud::{html, Markup};
use std::sync::OnceLock;

static TOPO: &str = include_str!("../assets/countries-110m.json");

/// Rings of lon/lat points, every country's.
fn rings() -> &'static Vec<Vec<(f64, f64)>> {
    static R: OnceLock<Vec<Vec<(f64, f64)>>> = OnceLock::new();
    R.get_or_init(|| decode(TOPO).unwrap_or_default())
}

/// Decodes a TopoJSON topology's `countries` object into rings.
fn decode(topo: &str) -> Option<Vec<Vec<(f64, f64)>>> {
    let v: serde_json::Value = serde_json::from_str(topo).ok()?;
    let sc = &v["transform"]["scale"];
    let tr = &v["transform"]["translate"];
    let (sx, sy, tx, ty) = (
        sc[0].as_f64()?,
        sc[1].as_f64()?,
        tr[0].as_f64()?,
        tr[1].as_f64()?,
    );
    // Arcs are delta-encoded quantised positions.
    let arcs: Vec<Vec<(f64, f64)>> = v["arcs"]
        .as_array()?
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0i64, 0i64);
            arc.as_array()
                .map(|pts| {
                    pts.iter()
                        .filter_map(|p| {
                            x += p[0].as_i64()?;
                            y += p[1].as_i64()?;
                            Some((x as f64 * sx + tx, y as f64 * sy + ty))
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let ring_of = |idx: &serde_json::Value| -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = Vec::new();
        for i in idx
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i.as_i64())
        {
            let (a, rev) = if i < 0 {
                ((!i) as usize, true)
            } else {
                (i as usize, false)
            };
            let Some(arc) = arcs.get(a) else { continue };
            let mut pts = arc.clone();
            if rev {
                pts.reverse();
            }
            // Consecutive arcs share their joining point.
            let skip = usize::from(!out.is_empty());
            out.extend(pts.into_iter().skip(skip));
        }
        out
    };
    let mut rings = Vec::new();
    for g in v["objects"]["countries"]["geometries"].as_array()? {
        match g["type"].as_str() {
            Some("Polygon") => {
                for r in g["arcs"].as_array().into_iter().flatten() {
                    rings.push(ring_of(r));
                }
            }
            Some("MultiPolygon") => {
                for poly in g["arcs"].as_array().into_iter().flatten() {
                    for r in poly.as_array().into_iter().flatten() {
                        rings.push(ring_of(r));
                    }
                }
            }
            _ => {}
        }
    }
    Some(rings)
}

/// One `<path>` with every country, projected equirectangularly into `w`×`h`.
pub fn outlines(w: f64, h: f64) -> Markup {
    let mut d = String::new();
    for ring in rings() {
        let mut prev: Option<f64> = None;
        for (i, (lon, lat)) in ring.iter().enumerate() {
            let x = (lon + 180.0) / 360.0 * w;
            let y = (90.0 - lat) / 180.0 * h;
            // A jump across the antimeridian starts a new subpath.
            let jump = prev.is_some_and(|p| (p - lon).abs() > 180.0);
            let cmd = if i == 0 || jump { 'M' } else { 'L' };
            d.push_str(&format!("{cmd}{x:.1},{y:.1}"));
            prev = Some(*lon);
        }
        d.push('Z');
    }
    html! { path.land d=(d) {} }
}

#[cfg(test)]
mod tests {
    #[test]
    fn natural_earth_outlines_decode() {
        let r = super::rings();
        assert!(r.len() > 200, "{} rings", r.len());
        // Every point is a plausible lon/lat.
        assert!(r
            .iter()
            .flatten()
            .all(|(lo, la)| lo.abs() <= 180.01 && la.abs() <= 90.01));
    }
}
