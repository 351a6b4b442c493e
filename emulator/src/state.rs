//! State shared by every request: the configuration, the keys and the runtime switches.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::config::Config;
use crate::keys::KeyStore;
use crate::token::TokenFault;
use crate::user_sessions::UserSessions;

pub(crate) struct AppState {
    pub(crate) config: Config,
    pub(crate) base_url: String,
    pub(crate) issuer: String,
    pub(crate) keys: KeyStore,
    api_failing: AtomicBool,
    pre_token_lambda_failing: AtomicBool,
    token_fault: Mutex<Option<TokenFault>>,
    /// Managed login's codes, refresh tokens and revocations.
    pub(crate) sessions: UserSessions,
}

impl AppState {
    pub(crate) fn new(config: Config, base_url: String, keys: KeyStore) -> Self {
        let issuer = format!("{}/{}", base_url, config.pool_id);
        AppState {
            config,
            base_url,
            issuer,
            keys,
            api_failing: AtomicBool::new(false),
            pre_token_lambda_failing: AtomicBool::new(false),
            token_fault: Mutex::new(None),
            sessions: UserSessions::default(),
        }
    }

    pub(crate) fn api_failing(&self) -> bool {
        self.api_failing.load(Ordering::SeqCst)
    }

    pub(crate) fn set_api_failing(&self, on: bool) {
        self.api_failing.store(on, Ordering::SeqCst);
    }

    /// While on, the pre token generation trigger "fails": token requests get Cognito's trigger error.
    pub(crate) fn pre_token_lambda_failing(&self) -> bool {
        self.pre_token_lambda_failing.load(Ordering::SeqCst)
    }

    pub(crate) fn set_pre_token_lambda_failing(&self, on: bool) {
        self.pre_token_lambda_failing.store(on, Ordering::SeqCst);
    }

    pub(crate) fn token_fault(&self) -> Option<TokenFault> {
        *self.token_fault.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn set_token_fault(&self, fault: Option<TokenFault>) {
        *self.token_fault.lock().unwrap_or_else(|p| p.into_inner()) = fault;
    }

    pub(crate) fn jwks_path(&self) -> String {
        format!("/{}/.well-known/jwks.json", self.config.pool_id)
    }

    pub(crate) fn discovery_path(&self) -> String {
        format!("/{}/.well-known/openid-configuration", self.config.pool_id)
    }
}
