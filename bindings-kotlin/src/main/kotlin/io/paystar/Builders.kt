// Generated from core's request schema by core/tests/generated.rs: do not edit.
@file:Suppress("unused")

package io.paystar

/**
 * Builds a [Address] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. A postal address (every field optional).
 */
class AddressBuilder() {
    private var streetAddress: String? = null
    private var streetAddress2: String? = null
    private var city: String? = null
    private var state: String? = null
    private var zipCode: String? = null

    /** Street line 1. */
    fun streetAddress(value: String?): AddressBuilder = apply { streetAddress = value }

    /** Street line 2. */
    fun streetAddress2(value: String?): AddressBuilder = apply { streetAddress2 = value }

    /** City. */
    fun city(value: String?): AddressBuilder = apply { city = value }

    /** State. */
    fun state(value: String?): AddressBuilder = apply { state = value }

    /** ZIP code. */
    fun zipCode(value: String?): AddressBuilder = apply { zipCode = value }

    /** The [Address]. */
    fun build(): Address = Address(streetAddress = streetAddress, streetAddress2 = streetAddress2, city = city, state = state, zipCode = zipCode)
}

/**
 * Builds a [ClientAccount] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. The biller's account for the customer (the account number is required).
 */
class ClientAccountBuilder(private val accountNumber: String) {
    private var subAccountNumber: String? = null
    private var name: String? = null
    private var balance: Long? = null
    private var phoneNumber: String? = null
    private var dueDate: String? = null
    private var issueDate: String? = null
    private var note: String? = null
    private var metaJson: String? = null
    private var address: Address? = null

    /** Sub-account number. */
    fun subAccountNumber(value: String?): ClientAccountBuilder = apply { subAccountNumber = value }

    /** Account holder's name. */
    fun name(value: String?): ClientAccountBuilder = apply { name = value }

    /** Balance in integer cents (may be negative). */
    fun balance(value: Long?): ClientAccountBuilder = apply { balance = value }

    /** Phone number. */
    fun phoneNumber(value: String?): ClientAccountBuilder = apply { phoneNumber = value }

    /** Due date (RFC 3339). */
    fun dueDate(value: String?): ClientAccountBuilder = apply { dueDate = value }

    /** Issue date (RFC 3339). */
    fun issueDate(value: String?): ClientAccountBuilder = apply { issueDate = value }

    /** A note (never updated once set). */
    fun note(value: String?): ClientAccountBuilder = apply { note = value }

    /** A JSON document, as text. */
    fun metaJson(value: String?): ClientAccountBuilder = apply { metaJson = value }

    /** Postal address. */
    fun address(value: Address?): ClientAccountBuilder = apply { address = value }

    /** The [ClientAccount]. */
    fun build(): ClientAccount = ClientAccount(accountNumber = accountNumber, subAccountNumber = subAccountNumber, name = name, balance = balance, phoneNumber = phoneNumber, dueDate = dueDate, issueDate = issueDate, note = note, metaJson = metaJson, address = address)
}

/**
 * Builds a [Charge] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. One charge: the amount in integer cents.
 */
class ChargeBuilder(private val amount: Long) {
    private var description: String? = null
    private var clientAccount: ClientAccount? = null
    private var chargeType: String? = null

    /** Description. */
    fun description(value: String?): ChargeBuilder = apply { description = value }

    /** The account it pays. */
    fun clientAccount(value: ClientAccount?): ChargeBuilder = apply { clientAccount = value }

    /** Charge type. */
    fun chargeType(value: String?): ChargeBuilder = apply { chargeType = value }

    /** The [Charge]. */
    fun build(): Charge = Charge(amount = amount, description = description, clientAccount = clientAccount, chargeType = chargeType)
}

/**
 * Builds a [ClientUser] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. The customer (the email address is required; names are kept as first seen).
 */
class ClientUserBuilder(private val emailAddress: String) {
    private var firstName: String? = null
    private var lastName: String? = null

    /** First name. */
    fun firstName(value: String?): ClientUserBuilder = apply { firstName = value }

    /** Last name. */
    fun lastName(value: String?): ClientUserBuilder = apply { lastName = value }

    /** The [ClientUser]. */
    fun build(): ClientUser = ClientUser(emailAddress = emailAddress, firstName = firstName, lastName = lastName)
}

/**
 * Builds a [PaymentSessionRequest] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. The request of create_payment_session.
 */
class PaymentSessionRequestBuilder(private val businessUnitSlug: String, private val channel: String, private val charges: List<Charge>) {
    private var clientUser: ClientUser? = null
    private var posUser: String? = null
    private var clientReference: String? = null
    private var paymentDescriptor: String? = null
    private var paymentFields: Map<String, String>? = null
    private var successUrl: String? = null
    private var returnUrl: String? = null
    private var paymentSourceIdentifier: String? = null
    private var extraJson: String? = null

    /** The customer. */
    fun clientUser(value: ClientUser?): PaymentSessionRequestBuilder = apply { clientUser = value }

    /** The POS user (POS channel). */
    fun posUser(value: String?): PaymentSessionRequestBuilder = apply { posUser = value }

    /** Your unique reference (a reuse is refused). */
    fun clientReference(value: String?): PaymentSessionRequestBuilder = apply { clientReference = value }

    /** Statement descriptor. */
    fun paymentDescriptor(value: String?): PaymentSessionRequestBuilder = apply { paymentDescriptor = value }

    /** Custom payment fields (keys are data: sent as given). */
    fun paymentFields(value: Map<String, String>?): PaymentSessionRequestBuilder = apply { paymentFields = value }

    /** Where the page goes after a payment. */
    fun successUrl(value: String?): PaymentSessionRequestBuilder = apply { successUrl = value }

    /** Where the page goes when the customer leaves. */
    fun returnUrl(value: String?): PaymentSessionRequestBuilder = apply { returnUrl = value }

    /** A saved payment source to use. */
    fun paymentSourceIdentifier(value: String?): PaymentSessionRequestBuilder = apply { paymentSourceIdentifier = value }

    /** Unmodelled top-level wire fields, merged as given (never replacing a modelled one). */
    fun extraJson(value: String?): PaymentSessionRequestBuilder = apply { extraJson = value }

    /** The [PaymentSessionRequest]. */
    fun build(): PaymentSessionRequest = PaymentSessionRequest(businessUnitSlug = businessUnitSlug, channel = channel, charges = charges, clientUser = clientUser, posUser = posUser, clientReference = clientReference, paymentDescriptor = paymentDescriptor, paymentFields = paymentFields, successUrl = successUrl, returnUrl = returnUrl, paymentSourceIdentifier = paymentSourceIdentifier, extraJson = extraJson)
}

/**
 * Builds a [AccountSessionRequest] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. The request of create_autopay_session and create_paperless_session.
 */
class AccountSessionRequestBuilder(private val businessUnitSlug: String, private val clientAccount: ClientAccount, private val clientUser: ClientUser) {
    private var syncAccount: Boolean? = null
    private var extraJson: String? = null

    /** Create or update the account on the gateway (true for a new account). */
    fun syncAccount(value: Boolean?): AccountSessionRequestBuilder = apply { syncAccount = value }

    /** Unmodelled top-level wire fields, merged as given (never replacing a modelled one). */
    fun extraJson(value: String?): AccountSessionRequestBuilder = apply { extraJson = value }

    /** The [AccountSessionRequest]. */
    fun build(): AccountSessionRequest = AccountSessionRequest(businessUnitSlug = businessUnitSlug, clientAccount = clientAccount, clientUser = clientUser, syncAccount = syncAccount, extraJson = extraJson)
}

/**
 * Builds a [CustomerSessionRequest] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. The request of create_wallet_session and create_notification_session.
 */
class CustomerSessionRequestBuilder(private val businessUnitSlug: String, private val clientUser: ClientUser) {
    private var extraJson: String? = null

    /** Unmodelled top-level wire fields, merged as given (never replacing a modelled one). */
    fun extraJson(value: String?): CustomerSessionRequestBuilder = apply { extraJson = value }

    /** The [CustomerSessionRequest]. */
    fun build(): CustomerSessionRequest = CustomerSessionRequest(businessUnitSlug = businessUnitSlug, clientUser = clientUser, extraJson = extraJson)
}

/**
 * Builds a [UpdateCustomerRequest] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. The request of update_customer (the Events API's Accounts.ManageCustomer).
 */
class UpdateCustomerRequestBuilder(private val businessUnitSlug: String, private val accountNumber: String, private val firstName: String, private val lastName: String, private val emailAddress: String) {
    private var subAccountNumber: String? = null
    private var originalEmailAddress: String? = null

    /** The sub-account, when you use them (sent as "" when absent). */
    fun subAccountNumber(value: String?): UpdateCustomerRequestBuilder = apply { subAccountNumber = value }

    /** The email address Paystar knows the customer by: only for an email change. */
    fun originalEmailAddress(value: String?): UpdateCustomerRequestBuilder = apply { originalEmailAddress = value }

    /** The [UpdateCustomerRequest]. */
    fun build(): UpdateCustomerRequest = UpdateCustomerRequest(businessUnitSlug = businessUnitSlug, accountNumber = accountNumber, subAccountNumber = subAccountNumber, firstName = firstName, lastName = lastName, emailAddress = emailAddress, originalEmailAddress = originalEmailAddress)
}

/**
 * Builds a [EventRequest] (for Java callers): the required fields in the constructor, the others
 * by setters, then [build]. The request of send_event (any Events API event type).
 */
class EventRequestBuilder(private val businessUnitSlug: String, private val eventType: String, private val payloadJson: String) {

    /** The [EventRequest]. */
    fun build(): EventRequest = EventRequest(businessUnitSlug = businessUnitSlug, eventType = eventType, payloadJson = payloadJson)
}
