//! Rapyd's error codes: the `error_code`, HTTP status and message of each failure the
//! gateway reports.
//!
//! Codes and messages are Rapyd's own where its documentation publishes them
//! (docs.rapyd.net: "Troubleshooting Authentication and Authorization Errors",
//! "Customer Errors", "Customer Payment Method Errors", "Coupon Errors", "Address
//! Errors", "Idempotency"). The few the documentation does not name are marked
//! *sandbox choice* and listed in `mod.rs`.

use axum::http::StatusCode;

/// One kind of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ErrorCode {
    /// `status.error_code` and `status.response_code`.
    pub code: &'static str,
    /// The HTTP status of the answer.
    pub http: StatusCode,
    /// `status.message`.
    pub message: &'static str,
}

const fn error(code: &'static str, http: StatusCode, message: &'static str) -> ErrorCode {
    ErrorCode {
        code,
        http,
        message,
    }
}

const BAD: StatusCode = StatusCode::BAD_REQUEST;
const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;
const UNAUTHORIZED: StatusCode = StatusCode::UNAUTHORIZED;

/// A header of `access_key`, `salt`, `timestamp`, `signature` is missing, or the
/// timestamp is not a number.
pub(super) const MISSING_AUTHENTICATION_HEADERS: ErrorCode = error(
    "MISSING_AUTHENTICATION_HEADERS",
    BAD,
    "The request did not contain the required headers for authentication. The request was rejected. Corrective action: Add authentication headers.",
);
/// Wrong access key, wrong signature, or a timestamp older than 60 s or in the future.
pub(super) const UNAUTHENTICATED_API_CALL: ErrorCode = error(
    "UNAUTHENTICATED_API_CALL",
    UNAUTHORIZED,
    "The request was rejected due to an authentication issue. Corrective action: Check the status of your account in the 'Account Details' page of the Client Portal.",
);
/// An authenticated request to a path or method the API does not have.
pub(super) const UNAUTHORIZED_API_CALL: ErrorCode =
    error("UNAUTHORIZED_API_CALL", UNAUTHORIZED, "");

/// No customer with the id in the path (sandbox choice of 404, see `mod.rs`).
pub(super) const ERROR_GET_CUSTOMER: ErrorCode = error(
    "ERROR_GET_CUSTOMER",
    NOT_FOUND,
    "The request attempted an operation that requires a customer, but the customer was not found. The request was rejected. Corrective action: Use the ID of a valid customer.",
);
/// `default_payment_method` names a payment method of another customer.
pub(super) const ERROR_DEFAULT_PAYMENT_METHOD_BELONGS_TO_DIFFERENT_CUSTOMER: ErrorCode = error(
    "ERROR_DEFAULT_PAYMENT_METHOD_BELONGS_TO_DIFFERENT_CUSTOMER",
    BAD,
    "The request tried to update a customer, but the proposed default payment method belongs to a different customer. The request was rejected. Corrective action: For 'default_payment_method', use a payment method that belongs to the customer you want to update.",
);
/// A payment method id that does not start with `card_` or `other_`, or names none.
pub(super) const INVALID_PAYMENT_METHOD: ErrorCode = error(
    "INVALID_PAYMENT_METHOD",
    BAD,
    "The request tried to perform an operation that requires a payment method, but the payment method was not found. The request was rejected. Corrective action: Use the correct payment method ID or payment method object.",
);
/// `ewallet` is another customer's.
pub(super) const ERROR_CREATE_CUSTOMER_EWALLET_ALREADY_IN_USE: ErrorCode = error(
    "ERROR_CREATE_CUSTOMER_EWALLET_ALREADY_IN_USE",
    BAD,
    "The request tried to add a wallet to a customer, but the proposed wallet belongs to a different customer. The request was rejected. Corrective action: For 'ewallet', use the ID of a wallet that does not already belong to a customer.",
);
/// `ewallet` does not start with `ewallet_`.
pub(super) const ERROR_INVALID_EWALLET: ErrorCode = error(
    "ERROR_INVALID_EWALLET",
    BAD,
    "The request attempted an operation that requires a wallet, but the wallet was not found. The request was rejected. Corrective action: Use the ID of a valid wallet, a string starting with 'ewallet_'.",
);
/// `phone_number` is not E.164 (sandbox choice of code).
pub(super) const INVALID_PHONE_NUMBER: ErrorCode = error(
    "INVALID_PHONE_NUMBER",
    BAD,
    "The request attempted an operation that requires a phone number, but the phone number is not in proper E.164 format. The request was rejected. Corrective action: Submit the phone number in E.164 format, such as +14155559983.",
);
/// A field has the wrong type, or the body is not a JSON object (sandbox choice).
pub(super) const INVALID_FIELDS: ErrorCode = error(
    "INVALID_FIELDS",
    BAD,
    "The request attempted an operation, but one of the fields contained a value that is not valid. The request was rejected. Corrective action: Use a valid value.",
);

/// An address without `line_1`.
pub(super) const INVALID_ADDRESS_LINE_1: ErrorCode = error(
    "INVALID_ADDRESS_LINE_1",
    BAD,
    "The request attempted an operation that requires an address, but Line 1 of the address was missing. The request was rejected. Corrective action: In the 'line_1' field, provide a valid street address.",
);
/// An address without `name`.
pub(super) const INVALID_ADDRESS_NAME: ErrorCode = error(
    "INVALID_ADDRESS_NAME",
    BAD,
    "The request attempted an operation that requires an address, but the name associated with the address was missing. The request was rejected. Corrective action: In the 'name' field, provide a valid personal or business name.",
);
/// An address whose phone number is not E.164.
pub(super) const INVALID_ADDRESS_PHONE_NUMBER: ErrorCode = error(
    "INVALID_ADDRESS_PHONE_NUMBER",
    BAD,
    "The request tried to add or update a phone number for an address, but the phone number is not in proper E.164 format or is not valid. The request was rejected. Corrective action: Submit the phone number in proper E.164 format.",
);

/// Both or neither of `type` and `token` when adding a payment method.
pub(super) const CREATE_CARD_TYPE_REQUIRES_ONLY_ONE_OF_FIELDS_OR_TOKEN: ErrorCode = error(
    "CREATE_CARD_TYPE_REQUIRES_ONLY_ONE_OF_FIELDS_OR_TOKEN",
    BAD,
    "The request tried to add a payment method to a customer, but both the 'type' and 'token' body parameters are set, or they are both unset. The request was rejected. Corrective action: Set one of the following parameters: 'type' or 'token'.",
);
/// A card field missing or not valid.
pub(super) const ERROR_CREATE_PAYMENT_METHOD: ErrorCode = error(
    "ERROR_CREATE_PAYMENT_METHOD",
    BAD,
    "The request attempted an operation that requires specific fields for payment method, but a required field was missing, or an extra, unallowed field was included. Corrective action: Run 'Get Payment Method Required Fields' and check all input fields.",
);
/// A card expiration month or year that is not valid.
pub(super) const INVALID_CARD_EXPIRATION_DATE: ErrorCode = error(
    "INVALID_CARD_EXPIRATION_DATE",
    BAD,
    "The request attempted an operation that requires a card payment method, but the card expiration date was not valid. The request was rejected. Corrective action: In the 'fields' object, set 'expiration_month' to a 2-digit number between 01 and 12, and set 'expiration_year' to a 2-digit number.",
);
/// Deleting the customer's default payment method.
pub(super) const DELETE_CUSTOMER_DEFAULT_PAYMENT_METHOD_NOT_ALLOWED: ErrorCode = error(
    "DELETE_CUSTOMER_DEFAULT_PAYMENT_METHOD_NOT_ALLOWED",
    BAD,
    "The request tried to delete the default payment method from a customer, but this operation is not allowed. The request was rejected. Corrective action: Assign another payment method to be the default payment method, then repeat the delete request.",
);
/// No payment method with the id in the path, for this customer.
pub(super) const PAYMENT_METHOD_NOT_FOUND: ErrorCode = ErrorCode {
    http: NOT_FOUND,
    ..INVALID_PAYMENT_METHOD
};

/// No coupon with that id.
pub(super) const ERROR_GET_COUPON: ErrorCode = error(
    "ERROR_GET_COUPON",
    BAD,
    "The request attempted an operation that requires the ID of a coupon, but the coupon was not found. The request was rejected. Corrective action: Use the ID of a valid coupon.",
);
/// No coupon with the id in the path.
pub(super) const COUPON_NOT_FOUND: ErrorCode = ErrorCode {
    http: NOT_FOUND,
    ..ERROR_GET_COUPON
};
/// A coupon past its `redeem_by` or `max_redemptions`.
pub(super) const ERROR_COUPON_WAS_USED_OR_OUT_OF_DATE: ErrorCode = error(
    "ERROR_COUPON_WAS_USED_OR_OUT_OF_DATE",
    BAD,
    "The request tried to apply a coupon to a customer, order or subscription, but the coupon was applied its maximum number of times or was expired. The request was rejected. Corrective action: Create a new coupon.",
);
/// A coupon with both or neither of `percent_off` and `amount_off`.
pub(super) const ERROR_COUPON_DISCOUNT_NOT_RECOGNIZED: ErrorCode = error(
    "ERROR_COUPON_DISCOUNT_NOT_RECOGNIZED",
    BAD,
    "The request tried to create a coupon, but the discount was set by both percentage and fixed amount. The request was rejected. Corrective action: Set 'percent_off' or set 'amount_off' and 'currency'.",
);
/// A coupon id already taken.
pub(super) const ERROR_CREATE_COUPON_ID_ALREADY_USED: ErrorCode = error(
    "ERROR_CREATE_COUPON_ID_ALREADY_USED",
    BAD,
    "The request tried to create a coupon, but the ID provided was already used. The request was rejected. Corrective action: For the 'id' field, use a unique string.",
);
/// `amount_off` without a `currency`, or not a positive number.
pub(super) const INVALID_AMOUNT_OFF_AND_CURRENCY: ErrorCode = error(
    "INVALID_AMOUNT_OFF_AND_CURRENCY",
    BAD,
    "The request tried to create a coupon with a fixed-amount discount, but 'amount_off' or 'currency' was missing or not valid. The request was rejected. Corrective action: Set 'amount_off' to a positive number and 'currency' to a three-letter ISO 4217 code.",
);
/// A payment method `type` that is not of Rapyd's form (`<country>_<name>`).
pub(super) const ERROR_GET_PAYMENT_METHOD_TYPE: ErrorCode = error(
    "ERROR_GET_PAYMENT_METHOD_TYPE",
    BAD,
    "The request attempted an operation that requires a payment method, but the payment method type was not recognized or is not available for this merchant. Corrective action: For the 'type' field in the 'payment_method' object or in the 'data' object, use a payment method type that this merchant is authorized to use.",
);
