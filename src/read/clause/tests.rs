use super::*;

/// The reading at the first occurrence of `word` in `sentence`.
fn at(sentence: &str, word: &str) -> Reading {
    let i = sentence.find(word).unwrap_or_else(|| panic!("{word:?} not in {sentence:?}"));
    read(sentence, Span::new(i, i + word.len()), &[("Brightwater".into(), Side::Payer)], Addressee::Provider)
}

fn am(sentence: &str, word: &str) -> (Actor, Modality) {
    let r = at(sentence, word);
    (r.actor, r.modality)
}

#[test]
fn the_nearest_modal_governs_and_its_subject_acts() {
    assert_eq!(am("Plan may recoup any overpayment within 36 months.", "recoup"), (Actor::Payer, Modality::May));
    assert_eq!(am("Provider shall submit claims within 60 days.", "submit"), (Actor::Provider, Modality::Must));
    assert_eq!(am("Brightwater reserves the right to offset.", "offset"), (Actor::Payer, Modality::May));
    assert_eq!(am("The Carrier shall have the right to audit.", "audit"), (Actor::Payer, Modality::May));
    assert_eq!(am("The Department may terminate the agreement.", "terminate"), (Actor::Government, Modality::May));
    assert_eq!(am("Overpayments are deducted from later remittances.", "deducted"), (Actor::Unnamed, Modality::States));
    assert_eq!(am("We may apply the refund to later claims.", "apply"), (Actor::Payer, Modality::May));
    assert_eq!(am("You must file an appeal within 30 days.", "file"), (Actor::Provider, Modality::Must));
}

#[test]
fn negation_makes_a_prohibition_and_a_double_negative_a_permission() {
    assert_eq!(am("A carrier may not require a physician to join.", "require"), (Actor::Payer, Modality::Forbidden));
    assert_eq!(am("No health insurer shall recoup after one year.", "recoup"), (Actor::Payer, Modality::Forbidden));
    assert_eq!(
        am("Plan shall not retroactively deny an authorized claim.", "deny"),
        (Actor::Payer, Modality::Forbidden)
    );
    assert_eq!(am("A plan is prohibited from adopting a gag rule.", "adopting").1, Modality::Forbidden);
    assert_eq!(am("Nothing in this section prohibits a provider from negotiating.", "negotiating").1, Modality::May);
    assert_eq!(am("Provider shall submit claims no later than 60 days after service.", "submit").1, Modality::Must);
    assert_eq!(am("Plan shall give no less than 90 days notice of an amendment.", "amendment").1, Modality::Must);
    assert_eq!(am("Medical societies believe contracts should not include it.", "include").1, Modality::Should);
    assert_eq!(am("Physicians should advocate against such clauses.", "advocate").1, Modality::Should);
}

#[test]
fn objects_and_passives_name_the_right_party() {
    assert_eq!(am("Amounts owed to the provider shall be offset.", "offset").0, Actor::Unnamed);
    assert_eq!(am("Overpayments may be recovered by the Plan at any time.", "recovered").0, Actor::Payer);
    assert_eq!(am("Either party may terminate on 60 days notice.", "terminate").0, Actor::Either);
    assert_eq!(am("Provider and Plan may amend this Agreement in writing.", "amend").0, Actor::Either);
    assert_eq!(am("Upon its determination, ______ may offset the amount.", "offset").0, Actor::Unnamed);
    assert_eq!(am("Members shall not be liable for any sums owed by the plan.", "liable").0, Actor::Member);
}

#[test]
fn conditions_and_definitions_are_told_apart() {
    let r = at("If Plan determines that it overpaid a claim, Plan may recoup the amount.", "overpaid");
    assert!(r.conditional);
    assert!(!at("If Plan determines that it overpaid a claim, Plan may recoup the amount.", "recoup").conditional);
    assert!(at("Whenever it engages in recovery efforts, the plan shall give notice.", "recovery").conditional);
    assert!(at("\"Payor\" means any entity that pays for covered services.", "entity").definition);
    assert!(at("In this section, the term \"clean claim\" means a claim with no defect.", "defect").definition);
    assert!(!at("Plan may recoup overpayments.", "recoup").definition);
}

#[test]
fn a_negated_imperative_forbids() {
    assert_eq!(am("Do not talk with members about a proposed treatment.", "Do not talk").1, Modality::Forbidden);
    assert_eq!(am("Do NOT mention the appeal hotline to patients.", "mention").1, Modality::Forbidden);
}

#[test]
fn no_duty_is_not_a_prohibition() {
    assert_eq!(am("Members do not need to sign the form for the change to apply.", "sign").1, Modality::States);
    assert_eq!(am("The group does not have to return a copy.", "return").1, Modality::States);
}

#[test]
fn a_coordinate_clause_with_its_own_subject_reads_afresh() {
    let s = "No suit may be filed in any court, and every dispute shall go to binding arbitration.";
    assert_eq!(am(s, "binding").1, Modality::Must);
    assert_eq!(am(s, "filed").1, Modality::Forbidden);
    // The same subject carried on: still negated.
    assert_eq!(am("No carrier shall audit, or recoup any payment.", "recoup").1, Modality::Forbidden);
}

#[test]
fn a_restricting_verb_joined_to_the_word_is_what_is_forbidden() {
    let s = "No carrier may limit or discourage members from asking about their care.";
    assert_eq!(am(s, "discourage").1, Modality::Forbidden);
    assert_eq!(am("Nothing in this section prohibits a provider from discussing fees.", "discussing").1, Modality::May);
}

#[test]
fn labels_before_a_leading_no_are_skipped() {
    assert_eq!(
        am("(a) No carrier shall base a refund request on extrapolation.", "extrapolation").1,
        Modality::Forbidden
    );
    assert_eq!(am("B. No plan may audit a provider more than once a year.", "audit").1, Modality::Forbidden);
    assert_eq!(am("A carrier may audit a provider once a year.", "audit").1, Modality::May);
}

#[test]
fn an_agent_acts_for_its_principal() {
    assert_eq!(am("Plan or its designee may audit Provider's records.", "audit").0, Actor::Payer);
    assert_eq!(am("The State or a contractor or an agent of the State may audit.", "audit").0, Actor::Government);
    assert_eq!(am("Provider and Plan may agree to extend the term.", "agree").0, Actor::Either);
}

#[test]
fn a_capitalized_name_holds_a_coordination_together() {
    let s =
        "The Director General or a vendor or an agent that reviews files in which sampling is used shall keep notes.";
    assert_eq!(am(s, "sampling").0, Actor::Government);
}

#[test]
fn cannot_is_a_negated_modal_and_a_fronted_condition_holds_no_subject() {
    let s = "If a provider chooses not to join, the payment cannot be sent to the provider.";
    assert_eq!(am(s, "payment cannot be sent"), (Actor::Unnamed, Modality::Forbidden));
    assert_eq!(am("This section cannot be construed to limit audits.", "audits").1, Modality::May);
    assert_eq!(am("If Plan finds an overpayment, Plan may recoup it.", "recoup").0, Actor::Payer);
}

#[test]
fn a_phrase_with_its_own_modal_after_a_coordinate_clause_is_read_on_its_own() {
    let s = "Plan may audit records at any time, and Group shall bear the cost of the audit.";
    assert_eq!(am(s, "Group shall bear the cost"), (Actor::Provider, Modality::Must));
}

#[test]
fn a_time_after_a_date_is_not_a_condition() {
    let s = "Plan may recover overpayments for two years after the date of payment by offsetting them.";
    assert!(!at(s, "offsetting").conditional);
    // "after" opening a clause of its own is still a condition.
    assert!(at("After Provider fails to respond, recovery is by offset.", "offset").conditional);
    assert!(at("If Provider fails to respond, recovery is by offset.", "offset").conditional);
}

#[test]
fn a_second_verb_without_its_own_subject_keeps_the_first() {
    let s = "Group shall not criticize Plan to a Member, and shall not discuss its fees with any Member.";
    assert_eq!(am(s, "shall not discuss"), (Actor::Provider, Modality::Forbidden));
}

mod any_sentence {
    use proptest::prelude::*;

    use super::*;

    /// Words the reading looks at, mixed with labels, blanks and punctuation.
    const WORDS: &[&str] = &[
        "Plan",
        "Provider",
        "Brightwater",
        "either",
        "party",
        "may",
        "shall",
        "not",
        "no",
        "cannot",
        "do",
        "does",
        "need",
        "to",
        "be",
        "is",
        "prohibited",
        "nothing",
        "prohibits",
        "recoup",
        "if",
        "after",
        "the",
        ",",
        ";",
        ":",
        "(a)",
        "A.",
        "and",
        "or",
        "its",
        "designee",
        "by",
        "______",
        "[REDACTED]",
        "é",
        "—",
        "Inspector",
        "General",
        "require",
        "services",
        "provider",
        "manual",
    ];

    proptest! {
        /// Any sequence of such words, read at any word, gives a reading whose
        /// modal (if any) lies inside the sentence — never a panic.
        #[test]
        fn reading_any_word_of_any_sentence_never_panics(
            picks in proptest::collection::vec(0..WORDS.len(), 0..40),
            at in 0usize..400,
            len in 0usize..30,
        ) {
            let sentence = picks.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
            let mut start = at.min(sentence.len());
            while !sentence.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(sentence.len());
            while !sentence.is_char_boundary(end) {
                end += 1;
            }
            let r = read(&sentence, Span::new(start, end), &[("Brightwater".into(), Side::Payer)], Addressee::Provider);
            if let Some(m) = r.modal {
                prop_assert!(m.end <= sentence.len() && m.start <= m.end);
            }
        }
    }
}
