//! The matrix panel's inputs — the imported API description, its base URL, the path parameter
//! values, whether data-changing methods are included and whether each protected method also gets
//! its negative checks — held once for the page, so Run matrix,
//! a canary tick and a profile all read and restore the same description.

use leptos::prelude::*;

use crate::core::matrix::{base_url, example_params, plan_jobs, ApiDescription, MatrixJob};

#[derive(Clone, Copy)]
pub struct MatrixForm {
    pub api: RwSignal<Option<ApiDescription>>,
    pub base_url: RwSignal<String>,
    /// One value per path parameter of each row, defaulted from the export's examples.
    pub params: RwSignal<Vec<Vec<String>>>,
    pub include_changes: RwSignal<bool>,
    /// Also call each protected method without a token and with an altered signature.
    pub negative: RwSignal<bool>,
}

impl MatrixForm {
    pub fn new() -> Self {
        Self {
            api: RwSignal::new(None),
            base_url: RwSignal::new(String::new()),
            params: RwSignal::new(Vec::new()),
            include_changes: RwSignal::new(false),
            negative: RwSignal::new(false),
        }
    }

    /// Takes a description (imported or from a profile): parameters reset to the export's
    /// examples, the base URL to the export's server or else `fallback_base` (the API URL field).
    pub fn set(self, description: ApiDescription, fallback_base: String) {
        self.params.set(example_params(&description));
        self.base_url
            .set(description.base_url.clone().unwrap_or(fallback_base));
        self.api.set(Some(description));
    }

    /// The base URL and one job per method as the panel stands, or why the matrix cannot run: no
    /// description imported, or a Base URL it cannot use (`core::matrix::base_url`).
    pub fn jobs(self) -> Result<(String, Vec<MatrixJob>), String> {
        let description = self.api.get_untracked().ok_or(
            "no API description is imported: import the API's export under Authorization matrix.",
        )?;
        let base = self.base_url.with_untracked(|b| base_url(b))?;
        let jobs = self.params.with_untracked(|values| {
            plan_jobs(
                &description,
                values,
                self.include_changes.get_untracked(),
                self.negative.get_untracked(),
            )
        });
        Ok((base, jobs))
    }
}

impl Default for MatrixForm {
    fn default() -> Self {
        Self::new()
    }
}
