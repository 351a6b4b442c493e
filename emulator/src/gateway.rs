//! API Gateway's own answers: the Gateway Responses (no integration ran), and the headers every API
//! answer carries. The one home for what API Gateway itself says.

use axum::http::StatusCode;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::authorizer::Denied;
use crate::config::CorsMode;
use crate::cors::{self, Origin};
use crate::respond::{request_id, response, set_header};

pub(crate) const JSON: &str = "application/json";

/// A response and who produced it (decides CORS in `success-only` mode).
pub(crate) struct ApiReply {
    pub(crate) resp: Response,
    pub(crate) origin: Origin,
    /// Extra header names for `Access-Control-Expose-Headers`.
    pub(crate) expose: Option<&'static str>,
}

impl ApiReply {
    pub(crate) fn integration(resp: Response) -> Self {
        ApiReply {
            resp,
            origin: Origin::Integration,
            expose: None,
        }
    }

    /// The answer with `x-amzn-RequestId`, `x-amz-apigw-id` and the CORS headers `cors` calls for.
    pub(crate) fn finish(self, cors: CorsMode) -> Response {
        let ApiReply {
            mut resp,
            origin,
            expose,
        } = self;
        let h = resp.headers_mut();
        set_header(h, "x-amzn-requestid", &request_id());
        set_header(h, "x-amz-apigw-id", &apigw_id());
        cors::apply_api(cors, origin, h, expose);
        resp
    }
}

/// `{"message": ...}`, the body of every Gateway Response and of the emulator's simple integrations.
pub(crate) fn message_json(message: &str) -> String {
    serde_json::json!({ "message": message }).to_string()
}

/// API Gateway's extended request id (`x-amz-apigw-id`): 16 base64 characters such as
/// `Mc7UVioPPHcEKPA=` (the shape seen in AWS's examples), here 11 random bytes.
fn apigw_id() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    STANDARD.encode(bytes.get(..11).unwrap_or(&bytes))
}

/// A Gateway Response (no integration ran): `{"message": ...}` plus `x-amzn-ErrorType`.
pub(crate) fn gateway(status: StatusCode, message: &str, error_type: Option<&str>) -> ApiReply {
    let mut resp = response(status, JSON, message_json(message));
    if let Some(t) = error_type {
        set_header(resp.headers_mut(), "x-amzn-errortype", t);
    }
    ApiReply {
        resp,
        origin: Origin::Gateway,
        expose: None,
    }
}

/// 403 `{"message":"Missing Authentication Token"}`: API Gateway's answer to an unknown path or method.
pub(crate) fn missing_token() -> ApiReply {
    gateway(
        StatusCode::FORBIDDEN,
        "Missing Authentication Token",
        Some("MissingAuthenticationTokenException"),
    )
}

/// REQUEST_TOO_LARGE: 413 `{"message":"Request Too Long"}`.
pub(crate) fn too_large() -> ApiReply {
    gateway(StatusCode::PAYLOAD_TOO_LARGE, "Request Too Long", None)
}

/// A body that could not be read.
pub(crate) fn bad_request() -> ApiReply {
    gateway(StatusCode::BAD_REQUEST, "Bad Request", None)
}

/// BAD_REQUEST_BODY: what API Gateway's request validator answers to a body that is not JSON.
pub(crate) fn invalid_body() -> ApiReply {
    gateway(StatusCode::BAD_REQUEST, "Invalid request body", None)
}

/// What an authorizer's refusal looks like on the wire.
impl From<Denied> for ApiReply {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Unauthorized => gateway(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                Some("UnauthorizedException"),
            ),
            // Observed wording of the Cognito authorizer.
            Denied::Expired => gateway(
                StatusCode::UNAUTHORIZED,
                "The incoming token has expired",
                Some("UnauthorizedException"),
            ),
            // A JWT authorizer's valid token without the method's scopes: documented as 403 Forbidden. The
            // x-amzn-ErrorType is the emulator's choice (the ACCESS_DENIED Gateway Response's type).
            Denied::Forbidden => gateway(
                StatusCode::FORBIDDEN,
                "Forbidden",
                Some("AccessDeniedException"),
            ),
        }
    }
}
