//! The Import… box and an opened share link: whatever is pasted or linked is parsed, applied to
//! the form, and summarised without a panic. The input is also tried as the JSON inside a share
//! link, and a link that reads back must survive being made again from the settings it gives.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;

use cognito_api_tester::core::import::{parse_import, still_missing};
use cognito_api_tester::core::settings::Settings;
use cognito_api_tester::core::share::{
    from_fragment, to_fragment, withheld_headers, SharedSettings,
};

fn import(text: &str, form: &Settings) {
    match parse_import(text) {
        Ok(import) => {
            let (next, summary) = import.apply(form);
            let _ = summary.message();
            let _ = next.validate();
            let _ = still_missing(&next);
        }
        Err(e) => assert!(e.to_string().ends_with("The form was not changed.")),
    }
}

fn open_link(fragment: &str, form: &Settings) {
    let Ok(shared) = from_fragment(fragment) else {
        return;
    };
    let applied = shared.apply(form);
    assert_eq!(applied.client_secret, form.client_secret);
    let _ = applied.validate();
    let _ = withheld_headers(&applied.extra_headers);
    // Made again from what it gave, the link reads back as the shared part of those settings.
    if let Ok(again) = to_fragment(&applied) {
        assert_eq!(
            from_fragment(&again).ok(),
            Some(SharedSettings::from_settings(&applied))
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let form = Settings {
        client_secret: "kept-secret".into(),
        ..Settings::default()
    };
    import(&text, &form);
    open_link(&text, &form);
    open_link(&format!("#s={}", URL_SAFE_NO_PAD.encode(data)), &form);
});
