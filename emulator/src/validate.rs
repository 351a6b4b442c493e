//! The rules a configuration must follow (what Cognito and API Gateway enforce, plus the emulator's own).

use crate::config::{
    Authorization, Config, ConfigError, MAX_SECRETS, MAX_VALIDITY_SECS, STANDARD_SCOPES,
};
use crate::templates::{normalize_template, substitute, validate_path};

/// Words the emulator's own routes use as the first path segment: neither the pool id nor the stage may be one.
const RESERVED_SEGMENTS: [&str; 6] = ["oauth2", "faults", "_emulator", "login", "logout", "error"];

fn is_url_segment(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

const VERBS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

impl Config {
    /// Checks the rules Cognito and API Gateway would enforce, plus the emulator's own.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !is_url_segment(&self.pool_id) || RESERVED_SEGMENTS.contains(&self.pool_id.as_str()) {
            return Err(ConfigError::at(
                "pool.id",
                format!("pool id \"{}\" must be letters, digits, '_' or '-' (like us-east-1_demo) and not oauth2, faults, _emulator, login, logout or error", self.pool_id),
            ));
        }
        if self.region.trim().is_empty() {
            return Err(ConfigError::at("pool.region", "region must not be empty"));
        }
        if !is_url_segment(&self.stage) || RESERVED_SEGMENTS.contains(&self.stage.as_str()) {
            return Err(ConfigError::at(
                "api.stage",
                format!("stage \"{}\" must be letters, digits, '_', '-' or '.' and not oauth2, faults, _emulator, login, logout or error", self.stage),
            ));
        }
        if self.stage == self.pool_id {
            return Err(ConfigError::at(
                "api.stage",
                "stage must differ from the pool id (both are first path segments)",
            ));
        }
        for (i, rs) in self.resource_servers.iter().enumerate() {
            if rs.identifier.is_empty() || rs.identifier.contains(char::is_whitespace) {
                return Err(ConfigError::at(
                    format!("resource_servers[{i}].identifier"),
                    "identifier must be non-empty without spaces",
                ));
            }
            if let Some(bad) = rs
                .scopes
                .iter()
                .find(|s| s.is_empty() || s.contains(char::is_whitespace) || s.contains('/'))
            {
                return Err(ConfigError::at(
                    format!("resource_servers[{i}].scopes"),
                    format!("scope name \"{bad}\" must be non-empty without spaces or '/' (write \"example\", not \"demo/example\")"),
                ));
            }
        }
        let defined = self.defined_scopes();
        for (i, c) in self.clients.iter().enumerate() {
            if c.id.is_empty() || c.id.chars().any(char::is_control) {
                return Err(ConfigError::at(
                    format!("clients[{i}].id"),
                    "client id must be non-empty without control characters",
                ));
            }
            if self.clients.iter().take(i).any(|o| o.id == c.id) {
                return Err(ConfigError::at(
                    format!("clients[{i}].id"),
                    format!("client id \"{}\" is defined twice", c.id),
                ));
            }
            crate::managed_login::validate_client(i, c)?;
            let standard =
                |s: &String| c.authorization_code && STANDARD_SCOPES.contains(&s.as_str());
            if let Some(bad) = c
                .allowed_scopes
                .iter()
                .find(|s| !defined.contains(s) && !standard(s))
            {
                return Err(ConfigError::at(
                    format!("clients[{i}].allowed_scopes"),
                    format!(
                        "scope \"{bad}\" is not defined by any resource server (defined: {})",
                        defined.join(", ")
                    ),
                ));
            }
            if c.secrets.len() > MAX_SECRETS {
                return Err(ConfigError::at(
                    format!("clients[{i}].secrets"),
                    format!(
                        "{} secrets: Cognito keeps at most {MAX_SECRETS} active secrets per app client",
                        c.secrets.len()
                    ),
                ));
            }
            if c.secrets
                .iter()
                .any(|s| s.is_empty() || s.chars().any(char::is_control))
            {
                return Err(ConfigError::at(
                    format!("clients[{i}].secrets"),
                    "a secret must be non-empty without control characters",
                ));
            }
            if c.client_token_auth && c.secrets.is_empty() {
                return Err(ConfigError::at(
                    format!("clients[{i}].client_token_auth"),
                    "GetClientToken (ALLOW_CLIENT_TOKEN_AUTH) needs a client with a secret",
                ));
            }
            if (c.client_credentials || c.client_token_auth) && c.allowed_scopes.is_empty() {
                return Err(ConfigError::at(
                    format!("clients[{i}].allowed_scopes"),
                    "a client with client_credentials or client_token_auth needs at least one allowed scope (as on Cognito)",
                ));
            }
            // Cognito allows 5 minutes to 1 day; shorter is allowed here so tests can watch tokens expire.
            if !(1..=MAX_VALIDITY_SECS).contains(&c.access_token_validity) {
                return Err(ConfigError::at(
                    format!("clients[{i}].access_token_validity"),
                    format!("validity must be 1..={MAX_VALIDITY_SECS} seconds"),
                ));
            }
        }
        crate::managed_login::validate_users(&self.users)?;
        if let Some(v) = self.token_validity {
            if !(1..=MAX_VALIDITY_SECS).contains(&v) {
                return Err(ConfigError::at(
                    "server.token_validity",
                    format!("validity must be 1..={MAX_VALIDITY_SECS} seconds"),
                ));
            }
        }
        for (i, m) in self.methods.iter().enumerate() {
            let key = |f: &str| format!("api.methods[{i}].{f}");
            if !VERBS.contains(&m.method.as_str()) {
                return Err(ConfigError::at(
                    key("method"),
                    format!(
                        "method \"{}\" must be one of {}",
                        m.method,
                        VERBS.join(", ")
                    ),
                ));
            }
            validate_path(&m.path).map_err(|e| ConfigError::at(key("path"), e))?;
            let norm = normalize_template(&m.path);
            if self
                .methods
                .iter()
                .take(i)
                .any(|o| o.method == m.method && normalize_template(&o.path) == norm)
            {
                return Err(ConfigError::at(
                    key("path"),
                    format!("{} {} is defined twice", m.method, m.path),
                ));
            }
            if m.delay_ms > crate::token::MAX_DELAY_MS {
                return Err(ConfigError::at(
                    key("delay_ms"),
                    format!(
                        "delay_ms = {} is over the limit of {} ms",
                        m.delay_ms,
                        crate::token::MAX_DELAY_MS
                    ),
                ));
            }
            if m.authorization == Authorization::None && !m.scopes.is_empty() {
                return Err(ConfigError::at(
                    key("scopes"),
                    "scopes need authorization = \"cognito\" or \"jwt\"",
                ));
            }
            if m.authorization == Authorization::Jwt {
                if self.jwt_authorizer(m).is_none() {
                    return Err(ConfigError::at(
                        key("authorizer"),
                        match &m.authorizer {
                            Some(name) => format!("no [[api.jwt_authorizers]] is named \"{name}\""),
                            None => {
                                "authorization = \"jwt\" needs an [[api.jwt_authorizers]] table"
                                    .into()
                            }
                        },
                    ));
                }
            } else if m.authorizer.is_some() {
                return Err(ConfigError::at(
                    key("authorizer"),
                    "authorizer names a JWT authorizer: it needs authorization = \"jwt\"",
                ));
            }
            if let Some(bad) = m.scopes.iter().find(|s| !defined.contains(s)) {
                return Err(ConfigError::at(
                    key("scopes"),
                    format!("scope \"{bad}\" is not defined by any resource server"),
                ));
            }
            if !(200..=599).contains(&m.status) {
                return Err(ConfigError::at(key("status"), "status must be 200..=599"));
            }
            if m.echo && m.body.is_some() {
                return Err(ConfigError::at(
                    key("body"),
                    "give either body or echo = true, not both",
                ));
            }
            if let Some(body) = &m.body {
                let sample = substitute(body, &|_| Some("x".to_string()));
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&sample) {
                    return Err(ConfigError::at(
                        key("body"),
                        format!("body is not JSON ({e}); put {{name}} placeholders inside strings"),
                    ));
                }
            }
        }
        for (i, a) in self.jwt_authorizers.iter().enumerate() {
            let key = |f: &str| format!("api.jwt_authorizers[{i}].{f}");
            if a.name.trim().is_empty()
                || self
                    .jwt_authorizers
                    .iter()
                    .take(i)
                    .any(|o| o.name == a.name)
            {
                return Err(ConfigError::at(
                    key("name"),
                    format!(
                        "authorizer name \"{}\" must be non-empty and unique",
                        a.name
                    ),
                ));
            }
            if a.audiences.is_empty() || a.audiences.iter().any(|s| s.is_empty()) {
                return Err(ConfigError::at(
                    key("audiences"),
                    "a JWT authorizer needs at least one audience (e.g. the app client id)",
                ));
            }
            if let Some(iss) = &a.issuer {
                if !(iss.starts_with("http://") || iss.starts_with("https://")) {
                    return Err(ConfigError::at(
                        key("issuer"),
                        format!("issuer \"{iss}\" must be a URL, exactly the tokens' iss"),
                    ));
                }
            }
        }
        if let Some(bad) = self.cors_allow_headers.iter().find(|h| {
            h.is_empty()
                || !h
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b))
        }) {
            return Err(ConfigError::at(
                "api.cors_allow_headers",
                format!("\"{bad}\" is not a header name"),
            ));
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://"))
                || url.contains(char::is_whitespace)
            {
                return Err(ConfigError::at(
                    "server.public_url",
                    format!("public URL \"{url}\" must start with http:// or https://"),
                ));
            }
        }
        if self.static_dir.is_some() && self.static_port != 0 && self.static_port == self.port {
            return Err(ConfigError::at(
                "server.static_port",
                format!(
                    "static port {} is the emulator's own port: pick another",
                    self.static_port
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CorsMode;

    #[test]
    fn default_is_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn cors_mode_parses() {
        assert_eq!(
            "success-only".parse::<CorsMode>(),
            Ok(CorsMode::SuccessOnly)
        );
        assert!("sometimes".parse::<CorsMode>().is_err());
    }
}
