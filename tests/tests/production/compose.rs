//! `docker-compose.yml` as compose reads it: a service's `environment`, with `${VAR}`,
//! `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and `$$` interpolated from the
//! values the test picks (standing in for the operator's shell). The test runs what compose
//! would run from these, so a setting changed there is a setting changed here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use anyhow::{Context, Result, bail};
use yaml_rust2::{Yaml, YamlLoader};

pub struct Compose {
    file: Yaml,
}

impl Compose {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file = YamlLoader::load_from_str(&text)
            .with_context(|| format!("{} is not YAML", path.display()))?
            .into_iter()
            .next()
            .with_context(|| format!("{} is empty", path.display()))?;
        Ok(Self { file })
    }

    /// The `environment` of `service`, interpolated with `shell`.
    pub fn environment(
        &self,
        service: &str,
        shell: &HashMap<&str, String>,
    ) -> Result<BTreeMap<String, String>> {
        let environment = &self.file["services"][service]["environment"];
        let pairs: Vec<(String, String)> = match environment {
            Yaml::Hash(map) => map
                .iter()
                .map(|(k, v)| Ok((scalar(k)?, scalar(v)?)))
                .collect::<Result<_>>()?,
            Yaml::Array(items) => items
                .iter()
                .map(|item| {
                    let item = scalar(item)?;
                    let (k, v) = item.split_once('=').unwrap_or((&item, ""));
                    Ok((k.to_owned(), v.to_owned()))
                })
                .collect::<Result<_>>()?,
            _ => bail!("services.{service}.environment is missing from docker-compose.yml"),
        };
        pairs
            .into_iter()
            .map(|(k, v)| {
                let value = interpolate(&v, shell).with_context(|| format!("{service}: {k}"))?;
                Ok((k, value))
            })
            .collect()
    }
}

fn scalar(value: &Yaml) -> Result<String> {
    Ok(match value {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Null => String::new(),
        other => bail!("not a scalar: {other:?}"),
    })
}

/// Compose's interpolation of one value.
pub fn interpolate(value: &str, shell: &HashMap<&str, String>) -> Result<String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
        } else if let Some(braced) = rest.strip_prefix('{') {
            let end = braced
                .find('}')
                .with_context(|| format!("unclosed ${{ in {value:?}"))?;
            out.push_str(&expand(&braced[..end], shell)?);
            rest = &braced[end + 1..];
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            out.push_str(shell.get(&rest[..end]).map_or("", String::as_str));
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `NAME`, `NAME:-default`, `NAME-default`, `NAME:?message` or `NAME?message`.
fn expand(expression: &str, shell: &HashMap<&str, String>) -> Result<String> {
    let name_end = expression
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(expression.len());
    let (name, operator) = expression.split_at(name_end);
    let value = shell.get(name);
    let set_and_not_empty = value.filter(|v| !v.is_empty());
    Ok(match operator {
        "" => value.cloned().unwrap_or_default(),
        _ if operator.starts_with(":-") => set_and_not_empty
            .cloned()
            .unwrap_or_else(|| operator[2..].to_owned()),
        _ if operator.starts_with('-') => {
            value.cloned().unwrap_or_else(|| operator[1..].to_owned())
        }
        _ if operator.starts_with(":?") => match set_and_not_empty {
            Some(v) => v.clone(),
            None => bail!("{name} is required: {}", &operator[2..]),
        },
        _ if operator.starts_with('?') => match value {
            Some(v) => v.clone(),
            None => bail!("{name} is required: {}", &operator[1..]),
        },
        _ => bail!("interpolation the test does not know: ${{{expression}}}"),
    })
}

/// The `${NAME}` references of an nginx template: what the image's envsubst fills in.
pub fn template_variables(template: &str) -> BTreeSet<String> {
    template
        .split("${")
        .skip(1)
        .filter_map(|s| s.split_once('}'))
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// What the nginx image's `envsubst` does with the variables defined in its environment:
/// `${NAME}` and `$NAME` of those names are replaced, every other `$` (nginx's own
/// variables) stays.
pub fn envsubst(template: &str, environment: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            braced
                .split_once('}')
                .map_or(("", 0), |(name, _)| (name, name.len() + 2))
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match environment.get(name) {
            Some(value) if len > 0 => {
                out.push_str(value);
                rest = &after[len..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn compose_interpolation_follows_the_compose_rules() {
    let shell: HashMap<&str, String> = [("SET", "x".to_owned()), ("EMPTY", String::new())].into();
    let i = |v: &str| interpolate(v, &shell);
    assert_eq!(i("a${SET}b$SET.$$SET").expect("interpolates"), "axbx.$SET");
    assert_eq!(
        i("${EMPTY:-d}|${EMPTY-d}|${UNSET-d}|${UNSET}").expect("interpolates"),
        "d||d|"
    );
    assert_eq!(i("${SET:?m}").expect("interpolates"), "x");
    assert!(i("${EMPTY:?must be set}").is_err());
    assert!(i("${UNSET?m}").is_err());
}

#[test]
fn envsubst_leaves_nginx_variables_alone() {
    let env: BTreeMap<String, String> = [("PORT".to_owned(), "8443".to_owned())].into();
    assert_eq!(
        envsubst(
            "listen ${PORT}; $PORT return https://$host$request_uri; ${OTHER}",
            &env
        ),
        "listen 8443; 8443 return https://$host$request_uri; ${OTHER}"
    );
    assert_eq!(
        template_variables("a ${A} $b ${B}c"),
        ["A", "B"].map(String::from).into()
    );
}
