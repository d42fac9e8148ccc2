//! The words payer contracts, manuals and statutes use for each side.
//!
//! A word on its own says which side it names: "carrier", "issuer", "HMO"
//! and "we" (a payer's manual) are the payer; "physician", "facility" and
//! "pharmacy" the provider; "enrollee" the member; "Department", "CMS" and
//! "the State" government. Names the document itself defines ("Lakeshore",
//! "the CCO") are resolved in [`super::parties`] and take precedence.

/// A side of a payer contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The plan, insurer or network.
    Payer,
    /// A regulator or state agency.
    Government,
    /// The practice, physician or facility.
    Provider,
    /// A member, enrollee or patient.
    Member,
    /// A third party.
    Other,
}

impl Side {
    /// The name reports and `extract --parties` use, as `facts.actor` does.
    pub fn name(self) -> &'static str {
        match self {
            Side::Payer => "payer",
            Side::Government => "government",
            Side::Provider => "provider",
            Side::Member => "member",
            Side::Other => "other",
        }
    }
}

const PAYER: &[&str] = &[
    "plan",
    "plans",
    "payer",
    "payers",
    "payor",
    "payors",
    "insurer",
    "insurers",
    "carrier",
    "carriers",
    "issuer",
    "issuers",
    "company",
    "corporation",
    "hmo",
    "mco",
    "mcos",
    "cco",
    "ppo",
    "epo",
    "pbm",
    "organization",
    "organizations",
    "society",
    "entity",
    "entities",
    "administrator",
    "tpa",
    "sponsor",
    "network",
    "we",
    "us",
    "our",
    "insurance",
    "underwriter",
    "health plan",
];

const GOVERNMENT: &[&str] = &[
    "state",
    "department",
    "agency",
    "commission",
    "commissioner",
    "division",
    "secretary",
    "cms",
    "hhsc",
    "ahca",
    "dhcs",
    "ohca",
    "dhhs",
    "hhs",
    "director",
    "government",
    "county",
    "inspector",
    "board",
    "medicaid",
    "medicare",
    "tricare",
];

const PROVIDER: &[&str] = &[
    "provider",
    "providers",
    "physician",
    "physicians",
    "practitioner",
    "practitioners",
    "professional",
    "professionals",
    "group",
    "practice",
    "hospital",
    "hospitals",
    "facility",
    "facilities",
    "clinic",
    "pharmacy",
    "pharmacies",
    "ipa",
    "licensee",
    "doctor",
    "doctors",
    "surgeon",
    "center",
    "agency's",
    "hcp",
    "dentist",
];

const MEMBER: &[&str] = &[
    "member",
    "members",
    "enrollee",
    "enrollees",
    "subscriber",
    "subscribers",
    "beneficiary",
    "beneficiaries",
    "insured",
    "patient",
    "patients",
    "participant",
    "participants",
    "dependent",
    "dependents",
    "individual",
    "policyholder",
    "recipient",
    "recipients",
];

const OTHER: &[&str] = &[
    "contractor",
    "contractors",
    "vendor",
    "vendors",
    "affiliate",
    "affiliates",
    "delegate",
    "subcontractor",
    "subcontractors",
    "client",
    "clients",
    "customer",
    "customers",
    "repricer",
    "auditor",
    "designee",
    "agent",
];

/// Payers' brands, which name the payer wherever a document uses them.
pub(crate) const BRANDS: &[&str] = &[
    "aetna",
    "anthem",
    "cigna",
    "humana",
    "unitedhealthcare",
    "uhc",
    "optum",
    "kaiser",
    "centene",
    "molina",
    "wellcare",
    "magellan",
    "ambetter",
    "amerigroup",
    "elevance",
    "highmark",
    "premera",
    "regence",
    "oscar",
    "triwest",
    "healthnet",
    "beacon",
    "evernorth",
    "carelon",
    "medica",
    "emblemhealth",
    "oxford",
    "wellmark",
    "excellus",
    "carefirst",
    "geisinger",
    "caresource",
    "hmsa",
    "mhn",
    "vsp",
    "bcbs",
    "bcbsa",
    "healthspring",
    "qualcare",
    "caloptima",
    "wellfirst",
    "bridgespan",
];

/// The side a lower-case word names on its own, if any.
pub fn side_of(word: &str) -> Option<Side> {
    let lists: [(&[&str], Side); 5] = [
        (PAYER, Side::Payer),
        (GOVERNMENT, Side::Government),
        (PROVIDER, Side::Provider),
        (MEMBER, Side::Member),
        (OTHER, Side::Other),
    ];
    if BRANDS.contains(&word) {
        return Some(Side::Payer);
    }
    lists.iter().find(|(words, _)| words.contains(&word)).map(|(_, side)| *side)
}
