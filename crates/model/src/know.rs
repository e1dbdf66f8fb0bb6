//! Entities and their mentions (owned by the know stage).
use crate::Span;
use serde::{Deserialize, Serialize};

/// What an entity is. The names are those of the export contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation, group, institution, company.
    Organisation,
    /// A country, region, city, route or other place.
    Place,
    /// A project or facility: mine, pipeline, port, corridor, base.
    Project,
    /// A named event ("the Ghulja incident", "9/11").
    EventName,
    /// Anything else named.
    Other,
}

impl EntityKind {
    /// The export-contract name.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
            EntityKind::Project => "project",
            EntityKind::EventName => "event_name",
            EntityKind::Other => "other",
        }
    }

    /// The kind with this export-contract name.
    pub fn parse(s: &str) -> Option<EntityKind> {
        [
            EntityKind::Person,
            EntityKind::Organisation,
            EntityKind::Place,
            EntityKind::Project,
            EntityKind::EventName,
            EntityKind::Other,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One thing in the world the archive talks about, with every name it goes by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id (`place:kabul`, `org:sco`...).
    pub id: String,
    /// What it is.
    pub kind: EntityKind,
    /// The canonical name.
    pub name: String,
    /// Other names and spellings, including those found in the text.
    pub aliases: Vec<String>,
    /// Latitude, for places with coordinates.
    pub lat: Option<f64>,
    /// Longitude, for places with coordinates.
    pub lon: Option<f64>,
    /// ISO 3166 country code, where the entity belongs to or is one country.
    pub country: Option<String>,
    /// Where the knowledge came from: `pack:world`, `pack:field`, `text`.
    pub origin: String,
}

/// A stretch of text that names an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Document id.
    pub doc: String,
    /// Where it is in the source.
    pub span: Span,
    /// The text as written.
    pub text: String,
    /// Id of the entity it names.
    pub entity: String,
    /// The kind of that entity.
    pub kind: EntityKind,
    /// How sure the recogniser is (0..=1).
    pub confidence: f32,
}
