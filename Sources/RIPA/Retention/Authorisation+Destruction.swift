import Ledger

extension Authorisation {
    /// The case as the register keeps it once its personal data is destroyed: every field
    /// `PersonalFields` seals in its entries reads as destroyed (the subjects, the form's free
    /// text, the officers' reasons, findings, changes, value and the cancellation's reason),
    /// with the same placeholders an entry opened without its key shows; what the central
    /// record must still show stays (type, operation, dates, officers, URN, approvals, reviews'
    /// dates, cancellation's date). Destroying twice gives the same case.
    func withPersonalDataDestroyed() -> Authorisation {
        let gone = PersonalFields.destroyedText
        var copy = self
        copy.application.subjects = []
        copy.application.purpose = gone
        copy.application.details = gone
        copy.application.informationSought = gone
        copy.application.necessity = gone
        copy.application.proportionality = gone
        copy.application.collateralIntrusion = gone
        copy.decision?.reasons = gone
        for index in copy.periods.indices where copy.periods[index].renewal {
            copy.periods[index].changes = gone
            copy.periods[index].valueSoFar = gone
        }
        for index in copy.reviews.indices { copy.reviews[index].findings = gone }
        copy.cancellation?.reason = gone
        copy.cancellation?.valueObtained = gone
        return copy
    }
}
