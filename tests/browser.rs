//! Browser-shell tests: run by `make test-browser` in headless Debian chromium
//! (wasm-bindgen-test-runner + chromedriver). They exercise the real fetch,
//! AbortController, clock and the mounted app, without any server of ours.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_api_tester::core::diagnosis::NetworkFailure;
use cognito_api_tester::core::exchange::RecordedRequest;
use cognito_api_tester::web::clock;
use cognito_api_tester::web::http::{send, InFlight, SendFailure};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(url: &str) -> RecordedRequest {
    RecordedRequest {
        method: "GET".into(),
        url: url.into(),
        headers: Vec::new(),
        body: None,
    }
}

#[wasm_bindgen_test]
async fn fetch_records_status_headers_body_and_timing() {
    let in_flight = InFlight::new().unwrap();
    let (exchange, outcome) = send(
        &get("data:application/json,%7B%22ok%22%3Atrue%7D"),
        5_000,
        &in_flight,
    )
    .await;
    assert_eq!(outcome, Ok(()));
    let response = exchange.response.expect("a response");
    assert_eq!(response.status, 200);
    assert_eq!(response.body, r#"{"ok":true}"#);
    assert_eq!(response.size_bytes, 11);
    assert!(response.body_was_utf8);
    assert!(response
        .headers
        .iter()
        .any(|(name, value)| name == "content-type" && value == "application/json"));
    assert!(exchange.elapsed_ms >= 0.0);
    assert!(exchange.started_at_unix_ms > 1.7e12);
}

/// gloo-net's builder appended `&` to a URL with a query: the URL sent was not the one shown.
/// A data: URL answers with exactly the text after the comma, so the body shows what was fetched.
#[wasm_bindgen_test]
async fn the_url_is_sent_byte_for_byte() {
    let in_flight = InFlight::new().unwrap();
    let (exchange, outcome) = send(&get("data:text/plain,hello?x=1&y=2"), 5_000, &in_flight).await;
    assert_eq!(outcome, Ok(()));
    assert_eq!(exchange.response.unwrap().body, "hello?x=1&y=2");
}

/// A header value the browser refuses threw inside gloo-net, so the run never finished and the
/// page hung. It is a typed "not sent" now (the core also refuses it before sending).
#[wasm_bindgen_test]
async fn a_refused_header_is_not_sent_and_nothing_hangs() {
    let in_flight = InFlight::new().unwrap();
    let mut request = get("data:text/plain,ok");
    request.headers.push(("X-Note".into(), "naive €5".into()));
    let (exchange, outcome) = send(&request, 5_000, &in_flight).await;
    match outcome {
        Err(SendFailure::NotBuilt { message }) => assert!(message.contains("X-Note"), "{message}"),
        other => panic!("expected NotBuilt, got {other:?}"),
    }
    assert!(exchange.response.is_none());
}

#[wasm_bindgen_test]
async fn invalid_utf8_is_flagged_not_fatal() {
    let in_flight = InFlight::new().unwrap();
    let (exchange, outcome) = send(
        &get("data:application/octet-stream,ab%FF%FEcd"),
        5_000,
        &in_flight,
    )
    .await;
    assert_eq!(outcome, Ok(()));
    let response = exchange.response.unwrap();
    assert!(!response.body_was_utf8);
    assert_eq!(response.size_bytes, 6);
    assert!(response.body.starts_with("ab") && response.body.ends_with("cd"));
}

#[wasm_bindgen_test]
async fn cancel_before_the_answer_is_reported_as_cancelled() {
    let in_flight = InFlight::new().unwrap();
    in_flight.cancel();
    let (exchange, outcome) = send(&get("data:text/plain,late"), 5_000, &in_flight).await;
    assert_eq!(
        outcome,
        Err(SendFailure::Network(NetworkFailure::Cancelled))
    );
    assert!(exchange.response.is_none());
}

#[wasm_bindgen_test]
async fn a_closed_port_is_unreachable_not_cors() {
    let in_flight = InFlight::new().unwrap();
    // Port 9 (discard) is closed on the test machine: the request and the no-cors probe both fail.
    let (exchange, outcome) = send(&get("http://127.0.0.1:9/"), 5_000, &in_flight).await;
    assert_eq!(
        outcome,
        Err(SendFailure::Network(NetworkFailure::Unreachable))
    );
    assert!(exchange.response.is_none());
}

/// Waits for the reactive system to render: polls the condition every 10 ms, for
/// at most 2 s, and fails the test with the last state if it never holds.
async fn eventually<T>(condition: impl Fn() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(value) = condition() {
            return value;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("the page never reached the expected state within 2 s");
}

#[wasm_bindgen_test]
fn clocks_are_sane() {
    let now = clock::now_unix();
    assert!(now > 1_700_000_000, "{now}");
    assert!(clock::monotonic_ms() >= 0.0);
    assert!(!clock::local_time(0).is_empty());
}

#[wasm_bindgen_test]
async fn the_mounted_form_resolves_the_token_url_as_the_user_types() {
    cognito_api_tester::ui::mount();
    let document = web_sys::window().unwrap().document().unwrap();
    let type_into = |id: &str, value: &str| {
        let input: web_sys::HtmlInputElement =
            document.get_element_by_id(id).unwrap().dyn_into().unwrap();
        input.set_value(value);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
    };
    let text_of = |id: &str| {
        document
            .get_element_by_id(id)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    type_into("domain", "my-pool");
    type_into("region", "eu-west-1");
    let resolved = eventually(|| {
        let text = text_of("token-url");
        text.contains("https://my-pool.auth.eu-west-1.amazoncognito.com/oauth2/token")
            .then_some(text)
    })
    .await;
    assert!(resolved.starts_with("Token endpoint:"), "{resolved}");
    type_into("region", "moon");
    eventually(|| {
        text_of("region-issues")
            .contains("not an AWS region")
            .then_some(())
    })
    .await;
}

/// The browser's URL parser (used in the wasm build) agrees with the `url` crate (used natively,
/// where the core's unit tests run) on every case of the shared table.
#[wasm_bindgen_test]
fn browser_url_parser_matches_the_native_one() {
    use cognito_api_tester::whatwg_url::parity::{describe, CASES};
    for (input, expected) in CASES {
        assert_eq!(describe(input), *expected, "{input}");
    }
}

// ---------------------------------------------------------------------------------------------
// A page over plain http: no navigator.clipboard, no crypto.subtle. The runner's page is on
// localhost (a secure context), so these take the two away the way an http:// page lacks them.
// ---------------------------------------------------------------------------------------------

/// Makes `object[name]` undefined for the duration of `f`, then restores the browser's own.
async fn without<F, Fut>(object: &wasm_bindgen::JsValue, name: &str, f: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let key = wasm_bindgen::JsValue::from_str(name);
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(
        &descriptor,
        &"value".into(),
        &wasm_bindgen::JsValue::UNDEFINED,
    )
    .unwrap();
    js_sys::Reflect::set(
        &descriptor,
        &"configurable".into(),
        &wasm_bindgen::JsValue::TRUE,
    )
    .unwrap();
    js_sys::Object::define_property(object.unchecked_ref::<js_sys::Object>(), &key, &descriptor);
    assert!(js_sys::Reflect::get(object, &key).unwrap().is_undefined());
    f().await;
    js_sys::Reflect::delete_property(object.unchecked_ref::<js_sys::Object>(), &key).unwrap();
    assert!(!js_sys::Reflect::get(object, &key).unwrap().is_undefined());
}

#[wasm_bindgen_test]
async fn copy_without_a_clipboard_is_a_message_not_an_exception() {
    use cognito_api_tester::web::{files, secure};
    assert!(secure::is_secure_context(), "the test page is on localhost");
    let navigator = web_sys::window().unwrap().navigator();
    without(&navigator, "clipboard", || async {
        assert_eq!(
            files::copy("text").await,
            Err(secure::NO_CLIPBOARD.to_string())
        );
    })
    .await;
    assert!(secure::NO_CLIPBOARD.contains("plain http://"));
}

#[wasm_bindgen_test]
async fn verify_without_webcrypto_is_not_checked_and_says_why() {
    use cognito_api_tester::core::checks::Signature;
    use cognito_api_tester::core::jwt::decode;
    use cognito_api_tester::web::crypto::{verify_rs256, CryptoError};
    use cognito_api_tester::web::secure;
    use cognito_api_tester::web::verify::{verify, JwksSource};
    let jwks =
        r#"{"keys":[{"alg":"RS256","e":"AQAB","kid":"k1","kty":"RSA","n":"sXch","use":"sig"}]}"#;
    // {"alg":"RS256","kid":"k1"} . {"sub":"x"} . "sig"
    let token = decode("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.c2ln");
    let key = cognito_api_tester::core::jwks::Jwks::parse(jwks).unwrap();
    let key = key.find("k1").unwrap().clone();
    let crypto: wasm_bindgen::JsValue = web_sys::window().unwrap().crypto().unwrap().into();
    without(&crypto, "subtle", || async {
        assert_eq!(
            verify_rs256(&key, b"data", b"sig").await,
            Err(CryptoError::Unavailable(secure::NO_WEBCRYPTO.to_string()))
        );
        let signature = verify(&token, &JwksSource::Pasted(jwks.into()), false).await;
        // Not "the JWKS could not be read … turn on Route through proxy": no proxy helps here.
        assert_eq!(
            signature,
            Signature::NotChecked {
                reason: secure::NO_WEBCRYPTO.to_string()
            }
        );
    })
    .await;
    // With WebCrypto back, the same call reaches WebCrypto (which rejects this toy key).
    assert!(matches!(
        verify_rs256(&key, b"data", b"sig").await,
        Err(CryptoError::Failed(_))
    ));
}

/// Every Run adds tokens to the secret book, which re-runs the effect that keeps the form for the
/// tab: an unchanged form must not be written again (a storage write was about 1 ms of a Run),
/// but after Forget everything the same form is written again.
#[wasm_bindgen_test]
fn an_unchanged_form_is_not_written_again_until_forgotten() {
    use cognito_api_tester::core::profiles::FORM_KEY;
    use cognito_api_tester::core::settings::Settings;
    use cognito_api_tester::web::storage;
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    let settings = Settings {
        client_id: "kept-client".into(),
        ..Settings::default()
    };
    storage::keep_form(&settings, "status 200");
    let kept = session.get_item(FORM_KEY).unwrap().unwrap();
    assert_eq!(storage::kept_form().unwrap().1, "status 200");
    // A marker only a second write would replace.
    session.set_item(FORM_KEY, "marker").unwrap();
    storage::keep_form(&settings, "status 200");
    assert_eq!(
        session.get_item(FORM_KEY).unwrap().as_deref(),
        Some("marker")
    );
    // A changed form is written.
    storage::keep_form(&settings, "status 201");
    assert_eq!(storage::kept_form().unwrap().1, "status 201");
    // Forget everything, then the same form again: written again.
    storage::keep_form(&settings, "status 200");
    assert_eq!(session.get_item(FORM_KEY).unwrap(), Some(kept.clone()));
    storage::forget_everything();
    assert_eq!(session.get_item(FORM_KEY).unwrap(), None);
    storage::keep_form(&settings, "status 200");
    assert_eq!(session.get_item(FORM_KEY).unwrap(), Some(kept));
    storage::forget_everything();
}

/// Run checks a new token's signature while the API call is out, before the token is shown: the
/// answer waits until the token is held, then lands at once (a fast Run's first verdict is not
/// "Verifying…"), and it never lands on another token. A check a newer one dropped checks again;
/// the same token string fetched again waits to be landed too.
#[wasm_bindgen_test]
async fn an_early_signature_check_lands_on_its_own_token_only() {
    use cognito_api_tester::core::checks::Signature;
    use cognito_api_tester::core::session::HeldToken;
    use cognito_api_tester::ui::state::AppState;
    use leptos::prelude::*;
    // The executor `spawn_local` needs (mounting the app starts it; this test mounts nothing).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let state = AppState::new();
    // A pasted key set WebCrypto refuses: the check answers at once, without any network.
    state.settings.update(|s| {
        s.jwks =
            r#"{"keys":[{"alg":"RS256","e":"AQAB","kid":"k1","kty":"RSA","n":"sXch","use":"sig"}]}"#
                .into()
    });
    let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.c2ln";
    let old_token = || HeldToken::new("eyJhbGciOiJub25lIn0.eyJzdWIiOiJvbGQifQ.".into(), None, 0);
    state.take_token(old_token(), false);
    state.signature.set(Signature::Pending);

    // Waits are bounded by time, generously (a loaded machine), and end as soon as the answer is in.
    let deadline = clock::monotonic_ms() + 10_000.0;
    let check = state.check_signature(token.into(), state.settings.get_untracked());
    while !check.is_waiting() && clock::monotonic_ms() < deadline {
        clock::next_task().await;
    }
    assert!(check.is_waiting(), "the check never answered");
    // Not shown on the token still held.
    assert_eq!(state.signature.get_untracked(), Signature::Pending);
    state.take_token(HeldToken::new(token.into(), None, 0), false);
    state.land(check);
    let landed = state.signature.get_untracked();
    assert!(
        !matches!(landed, Signature::Pending),
        "the waiting answer must land with its token: {landed:?}"
    );

    // A check dropped by a newer one (Verify again on the old token while the API call is out):
    // land checks the new token again instead of waiting for an answer that will never come.
    let settle = |state: AppState| async move {
        let deadline = clock::monotonic_ms() + 10_000.0;
        while matches!(state.signature.get_untracked(), Signature::Pending)
            && clock::monotonic_ms() < deadline
        {
            clock::next_task().await;
        }
        state.signature.get_untracked()
    };
    state.take_token(old_token(), false);
    let dropped = state.check_signature(token.into(), state.settings.get_untracked());
    state.verify();
    let on_old = settle(state).await;
    assert_ne!(on_old, landed, "the old token's own verdict");
    state.take_token(HeldToken::new(token.into(), None, 0), false);
    state.land(dropped);
    assert_eq!(settle(state).await, landed);

    // The token endpoint hands back the very token already held (or a run judges the held token
    // again): a run's answer still waits for the run to be drawn, and landing it shows it, never
    // "Verifying…" for good.
    state.signature.set(Signature::Pending);
    let again = state.check_signature(token.into(), state.settings.get_untracked());
    let deadline = clock::monotonic_ms() + 10_000.0;
    while !again.is_waiting() && clock::monotonic_ms() < deadline {
        clock::next_task().await;
    }
    assert!(again.is_waiting(), "the check never answered");
    assert_eq!(
        state.signature.get_untracked(),
        Signature::Pending,
        "a run's answer is not shown before the run lands it"
    );
    state.take_token(HeldToken::new(token.into(), None, 0), false);
    state.land(again);
    assert_eq!(state.signature.get_untracked(), landed);
}

/// A host element appended to the page for a view under test, and a JS counter of the attribute
/// changes made inside it (a redrawn element has its attributes removed and set again).
fn host_counting_attribute_changes(counter: &str) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let observe = js_sys::Function::new_with_args(
        "el, name",
        "window[name] = 0; new MutationObserver((l) => { window[name] += l.filter((r) => r.type === 'attributes').length; }).observe(el, { attributes: true, subtree: true });",
    );
    observe
        .call2(&wasm_bindgen::JsValue::NULL, &host, &counter.into())
        .unwrap();
    host
}

fn counted(counter: &str) -> f64 {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &counter.into())
        .unwrap()
        .as_f64()
        .unwrap()
}

/// `kept`: a line whose value did not change is left as drawn (no attribute of it is removed
/// and set again); a line whose value changed is drawn with its new value.
#[wasm_bindgen_test]
async fn a_kept_line_is_not_drawn_again_while_its_value_is_the_same() {
    use cognito_api_tester::ui::kept::kept;
    use leptos::prelude::*;
    let host = host_counting_attribute_changes("__kept_changes");
    let items = RwSignal::new(vec!["a".to_string(), "b".to_string()]);
    let line = |text: String| {
        let attribute = text.clone();
        view! { <li class="line" data-text=attribute>{text}</li> }.into_any()
    };
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <ul>{move || items.get().into_iter().map(|i| kept(i, line)).collect_view()}</ul> }
    });
    let text = || host.text_content().unwrap_or_default();
    eventually(|| (text() == "ab").then_some(())).await;
    let before = counted("__kept_changes");
    items.set(vec!["a".to_string(), "c".to_string()]);
    eventually(|| (text() == "ac").then_some(())).await;
    gloo_timers::future::TimeoutFuture::new(20).await;
    // The second line's two attributes removed and set again (4 records); the first untouched.
    assert_eq!(counted("__kept_changes") - before, 4.0);
    let first = host.query_selector("li").unwrap().unwrap();
    assert_eq!(first.get_attribute("data-text").as_deref(), Some("a"));
}

/// `fed`: the parts are drawn once for a shape and then follow the value (their attributes left
/// alone); a new shape, or None and a value again, draws them anew.
#[wasm_bindgen_test]
async fn fed_parts_are_drawn_once_per_shape_and_follow_their_value() {
    use cognito_api_tester::ui::kept::fed;
    use leptos::prelude::*;
    let host = host_counting_attribute_changes("__fed_changes");
    let value = RwSignal::new(None::<(bool, String)>);
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        let shown = Memo::new(move |_| value.get());
        fed(
            shown,
            |v| v.0,
            || view! { <p class="none">"none"</p> }.into_any(),
            |flag, drawn| {
                view! { <p class="part" data-flag=flag.to_string()>{move || drawn.with(|d| d.1.clone())}</p> }
                    .into_any()
            },
        )
    });
    let part = || host.query_selector("p.part").unwrap();
    let text = || host.text_content().unwrap_or_default();
    eventually(|| (text() == "none").then_some(())).await;

    value.set(Some((true, "a".into())));
    eventually(|| (text() == "a").then_some(())).await;
    let drawn = part().unwrap();
    let before = counted("__fed_changes");
    value.set(Some((true, "b".into())));
    eventually(|| (text() == "b").then_some(())).await;
    gloo_timers::future::TimeoutFuture::new(20).await;
    assert!(
        part().unwrap().is_same_node(Some(&drawn)),
        "the parts were drawn again"
    );
    assert_eq!(
        counted("__fed_changes"),
        before,
        "the parts' attributes were set again"
    );

    // Another shape: drawn again (its attributes set again), from the new value.
    let before = counted("__fed_changes");
    value.set(Some((false, "c".into())));
    eventually(|| (text() == "c").then_some(())).await;
    gloo_timers::future::TimeoutFuture::new(20).await;
    assert!(
        counted("__fed_changes") > before,
        "a new shape was not drawn again"
    );
    assert_eq!(
        part().unwrap().get_attribute("data-flag").as_deref(),
        Some("false")
    );

    // None, then a value: the empty view, then parts that follow the value again.
    value.set(None);
    eventually(|| (text() == "none").then_some(())).await;
    value.set(Some((false, "d".into())));
    eventually(|| (text() == "d").then_some(())).await;
    value.set(Some((false, "e".into())));
    eventually(|| (text() == "e").then_some(())).await;
}

/// A signed-in user's token taken after a run (Refresh token, another Send token choice) left
/// that run's answers in place, and its verdict was worked out again with the new token's
/// checks at the old run's start: a PASS turned into a FAIL blaming the clock. The run is
/// forgotten when the held token changes, and kept when the same token is held again.
#[wasm_bindgen_test]
async fn a_new_signed_in_token_forgets_the_run_that_sent_another() {
    use cognito_api_tester::core::checks::Signature;
    use cognito_api_tester::core::run::{Job, RunSnapshot, Secret, TokenKey};
    use cognito_api_tester::ui::state::AppState;
    use leptos::prelude::*;
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let state = AppState::new();
    let key = || TokenKey::signed_in("https://a/oauth2/token", "c", &Secret::default(), "openid");
    let run = || {
        Some(RunSnapshot::new(
            Job::Run,
            state.settings.get_untracked(),
            Secret::default(),
            "status 2xx",
            0.0,
        ))
    };
    state.hold_signed_in("eyJhbGciOiJub25lIn0.eyJuIjoxfQ.".into(), None, key());
    state.snapshot.set(run());
    state.hold_signed_in("eyJhbGciOiJub25lIn0.eyJuIjoxfQ.".into(), None, key());
    assert!(
        state.snapshot.with_untracked(Option::is_some),
        "the same token again keeps the run"
    );
    state.hold_signed_in("eyJhbGciOiJub25lIn0.eyJuIjoyfQ.".into(), None, key());
    assert!(
        state.snapshot.with_untracked(Option::is_none),
        "the run that sent the other token is still judged"
    );
    assert!(state
        .notice
        .get_untracked()
        .is_some_and(|n| n.contains("signed-in user's token")));
    // Each hold checks the signature in a task of its own: the state must outlive them.
    let deadline = clock::monotonic_ms() + 10_000.0;
    while matches!(state.signature.get_untracked(), Signature::Pending)
        && clock::monotonic_ms() < deadline
    {
        clock::next_task().await;
    }
}

/// A sign-in given up at managed login (Back, a typed address) left its PKCE verifier in
/// sessionStorage for the tab's life; a load without `code` now takes out a record older than ten
/// minutes, and keeps a fresh one (Back, then Forward again, still signs in).
#[wasm_bindgen_test]
fn an_abandoned_sign_in_record_is_taken_out_a_fresh_one_stays() {
    use cognito_api_tester::web::sign_in::{
        drop_stale_pending, save_pending, take_pending, PendingRecord,
    };
    let record = |saved_at_ms: f64| PendingRecord {
        verifier: "verifier-of-a-sign-in".into(),
        state: "s".into(),
        nonce: "n".into(),
        redirect_uri: "http://127.0.0.1/".into(),
        token_url: "http://127.0.0.1/oauth2/token".into(),
        client_id: "c".into(),
        has_secret: false,
        saved_at_ms,
    };
    let now = clock::now_unix_ms();
    save_pending(&record(now - 60_000.0)).unwrap();
    drop_stale_pending(now);
    assert!(take_pending().is_some(), "a minute-old record stays");
    save_pending(&record(now - 11.0 * 60_000.0)).unwrap();
    drop_stale_pending(now);
    assert!(
        take_pending().is_none(),
        "an eleven-minute-old record is taken out"
    );
    save_pending(&record(0.0)).unwrap();
    drop_stale_pending(now);
    assert!(
        take_pending().is_none(),
        "a record without its time is taken out"
    );
}
