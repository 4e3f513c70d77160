//! The gateways' vaults, as far as the sandbox can see them.
//!
//! The sandbox has no access to Stripe's or Braintree's vaults, so a well-formed
//! reference names a card that exists. Its details are the gateways' test cards,
//! picked by a word in the reference: `mastercard` gives a Mastercard (5555…4444),
//! `amex` an American Express card (3782…0005), anything else a Visa (4111…1111); all
//! expire 12/2030. A reference containing `declined` names a card the gateway declines
//! when asked to verify it (Stripe's `card_chargeDeclined` test card, say).

/// A card as the gateway's vault describes it. Only the first six and last four digits
/// are known, never the full number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultCard {
    pub iin: &'static str,
    pub last4: &'static str,
    pub card_type: &'static str,
    pub funding_type: &'static str,
    pub expiry_month: u32,
    pub expiry_year: u32,
    /// Whether a verification of this card fails.
    pub declines_verification: bool,
}

/// The card `reference` points to.
pub fn card(reference: &str) -> VaultCard {
    let lower = reference.to_ascii_lowercase();
    let (iin, last4, card_type) = if lower.contains("mastercard") {
        ("555555", "4444", "mastercard")
    } else if lower.contains("amex") {
        ("378282", "0005", "american_express")
    } else {
        ("411111", "1111", "visa")
    };
    VaultCard {
        iin,
        last4,
        card_type,
        funding_type: "credit",
        expiry_month: 12,
        expiry_year: 2030,
        declines_verification: lower.contains("declined"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_test_cards_by_word() {
        assert_eq!(card("cus_1/card_2").card_type, "visa");
        assert_eq!(card("cus_1/card_Mastercard").last4, "4444");
        assert_eq!(card("c/amex1").card_type, "american_express");
        assert!(card("cus_1/card_chargeDeclined").declines_verification);
        assert!(!card("cus_1/card_2").declines_verification);
    }
}
