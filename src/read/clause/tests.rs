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
