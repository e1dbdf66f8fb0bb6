//! Events and the claims that report them (owned by the events stage).
use crate::Span;
use serde::{Deserialize, Serialize};

/// The kinds of event annals recognises (see DESIGN.md for what each covers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Violence against people or property.
    Attack,
    /// Treaties, deals, contracts, memoranda, accession.
    Agreement,
    /// A body, base, zone or institution created or transformed.
    Founding,
    /// Visits, summits, talks, meetings, ceremonies.
    MeetingVisit,
    /// Speeches, declarations, proposals, claims, warnings.
    Statement,
    /// Investments, loans, purchases, projects.
    InvestmentProject,
    /// Someone named to an office or role.
    Appointment,
    /// Terrorist listings, sanctions, bans, expulsions.
    DesignationSanction,
    /// Forces or bases placed, moved or withdrawn.
    MilitaryDeployment,
    /// A policy, strategy, plan or law launched.
    PolicyLaunch,
    /// Elections, takeovers, leaders taking or leaving office.
    ElectionTransition,
    /// A dated measurement.
    EconomicFigure,
    /// A dated event that fits none of the above.
    Other,
}

impl EventType {
    /// Every type, in DESIGN.md's order.
    pub const ALL: [EventType; 13] = [
        EventType::Attack,
        EventType::Agreement,
        EventType::Founding,
        EventType::MeetingVisit,
        EventType::Statement,
        EventType::InvestmentProject,
        EventType::Appointment,
        EventType::DesignationSanction,
        EventType::MilitaryDeployment,
        EventType::PolicyLaunch,
        EventType::ElectionTransition,
        EventType::EconomicFigure,
        EventType::Other,
    ];

    /// The export-contract name.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventType::Attack => "attack",
            EventType::Agreement => "agreement",
            EventType::Founding => "founding",
            EventType::MeetingVisit => "meeting_visit",
            EventType::Statement => "statement",
            EventType::InvestmentProject => "investment_project",
            EventType::Appointment => "appointment",
            EventType::DesignationSanction => "designation_sanction",
            EventType::MilitaryDeployment => "military_deployment",
            EventType::PolicyLaunch => "policy_launch",
            EventType::ElectionTransition => "election_transition",
            EventType::EconomicFigure => "economic_figure",
            EventType::Other => "other",
        }
    }

    /// The type with this export-contract name.
    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Whether the text reports the event as having happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Reported as fact.
    Asserted,
    /// Possible, hypothetical or conditional (`could`, `may`, `if`).
    Hypothetical,
    /// Said not to have happened.
    Negated,
    /// Planned or expected (`plans to`, `will`).
    Future,
}

/// A sentence (or clause) that states an event, with the notes it cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventEvidence {
    /// Document id.
    pub doc: String,
    /// Where it is in the source.
    pub span: Span,
    /// The text as written.
    pub text: String,
    /// Numbers of the notes whose markers stand in the evidence.
    pub notes: Vec<u32>,
}

/// A casualty figure as stated: `nine` → 9, `nearly 50` → 50 with qualifier `nearly`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The number, where it can be read.
    pub value: Option<u32>,
    /// `at least`, `nearly`, `more than`, `up to`...
    pub qualifier: Option<String>,
    /// The words as written.
    pub text: String,
}

/// One event: what happened, when, where, to whom, by whom, and every place in
/// the archive that tells of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id.
    pub id: String,
    /// Its type.
    pub kind: EventType,
    /// TIMEX3 value at the precision the text gives.
    pub date: Option<String>,
    /// The date expression as written.
    pub date_text: Option<String>,
    /// Where it happened, as named.
    pub place: Option<String>,
    /// Entity id of the place, where resolved.
    pub place_entity: Option<String>,
    /// Who did it.
    pub actors: Vec<String>,
    /// Who or what it was done to.
    pub targets: Vec<String>,
    /// People killed, as stated.
    pub killed: Option<Count>,
    /// People injured, as stated.
    pub injured: Option<Count>,
    /// Who claims it or is said to be behind it (`BLA`, `Chinese sources`).
    pub claimed_by: Option<String>,
    /// Fact, hypothesis, negation or plan.
    pub modality: Modality,
    /// Every sentence that tells of it.
    pub evidence: Vec<EventEvidence>,
    /// Ids of events whose claims are incompatible with this one's.
    pub conflicts_with: Vec<String>,
    /// Why claims were merged into this event (one line per merge).
    pub merge_reasons: Vec<String>,
    /// The single tellings merged into this event, one per evidence item
    /// (empty for events stored before tellings were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// One telling of an event as a single sentence or clause states it, kept
/// inside the merged [`Event`] so that a merge can be undone (user splits) and
/// each telling keeps its own date, which may be more or less precise than the
/// merged event's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Stable id of the telling (`<doc>:<start>:<type>`), the unit user decisions name.
    pub id: String,
    /// Document id.
    pub doc: String,
    /// The evidence span of this telling.
    pub span: Span,
    /// The type this telling was read as.
    pub kind: EventType,
    /// TIMEX3 value this telling gives.
    pub date: Option<String>,
    /// The date expression as written (None when the date came from context).
    pub date_text: Option<String>,
}
