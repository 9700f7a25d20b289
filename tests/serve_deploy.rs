//! `recert serve` as deployed: the Kubernetes manifests in deploy/ and the
//! Dockerfile against the server's routes and options, bearer tokens,
//! the refusal to listen beyond loopback unprotected, security headers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::serve::Server;
use serde_json::Value;

/// Every document of every manifest in deploy/, with its file name.
fn manifests() -> Vec<(String, Value)> {
    let dir = common::repo().join("deploy");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no manifest in deploy/");
    let mut docs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let parsed: Vec<Value> = serde_saphyr::from_multiple(&text)
            .unwrap_or_else(|e| panic!("deploy/{name} is not YAML: {e}"));
        for doc in parsed {
            assert!(
                doc["kind"].is_string(),
                "deploy/{name}: a document without kind"
            );
            assert!(
                doc["apiVersion"].is_string(),
                "deploy/{name}: a document without apiVersion"
            );
            docs.push((name.clone(), doc));
        }
    }
    docs
}

fn of_kind<'a>(docs: &'a [(String, Value)], kind: &str) -> Vec<&'a Value> {
    docs.iter()
        .filter(|(_, d)| d["kind"] == kind)
        .map(|(_, d)| d)
        .collect()
}

fn one<'a>(docs: &'a [(String, Value)], kind: &str) -> &'a Value {
    let found = of_kind(docs, kind);
    assert_eq!(found.len(), 1, "expected one {kind} in deploy/");
    found[0]
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The value after `option` in `args`.
fn option<'a>(args: &'a [String], option: &str) -> Option<&'a str> {
    let at = args.iter().position(|a| a == option)?;
    args.get(at + 1).map(String::as_str)
}

/// The recert container of the Deployment.
fn container(docs: &[(String, Value)]) -> Value {
    let containers = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(containers.len(), 1);
    containers[0].clone()
}

/// A probe's or Service's port (a number or a port's name) as a number.
fn port_number(container: &Value, port: &Value) -> u64 {
    match port {
        Value::Number(n) => n.as_u64().unwrap(),
        Value::String(name) => container["ports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name.as_str())
            .unwrap_or_else(|| panic!("no container port named {name}"))["containerPort"]
            .as_u64()
            .unwrap(),
        other => panic!("port {other}"),
    }
}

/// The lines of the Dockerfile's last stage (the runtime image).
fn runtime_stage() -> Vec<String> {
    let text = std::fs::read_to_string(common::repo().join("Dockerfile")).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let last_from = lines.iter().rposition(|l| l.starts_with("FROM ")).unwrap();
    assert!(
        last_from > 0,
        "the Dockerfile has one stage: build and run apart"
    );
    lines[last_from..].to_vec()
}

fn instruction<'a>(stage: &'a [String], name: &str) -> Vec<&'a str> {
    stage
        .iter()
        .filter_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .map(str::trim)
        .collect()
}

#[test]
fn the_probes_are_routes_of_the_server_on_the_container_port() {
    let docs = manifests();
    let container = container(&docs);
    let args = strings(&container["args"]);
    assert_eq!(args[0], "serve");
    let listen: std::net::SocketAddr = option(&args, "--listen").unwrap().parse().unwrap();
    let ports = container["ports"].as_array().unwrap();
    assert_eq!(ports.len(), 1);
    let container_port = ports[0]["containerPort"].as_u64().unwrap();
    assert_eq!(u64::from(listen.port()), container_port);
    assert!(
        listen.ip().is_unspecified(),
        "the pod must listen beyond loopback"
    );

    let server = Server::start(&[]);
    for (probe, expected) in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")] {
        let get = &container[probe]["httpGet"];
        let path = get["path"].as_str().unwrap();
        assert_eq!(path, expected, "{probe}");
        assert_eq!(
            port_number(&container, &get["port"]),
            container_port,
            "{probe}"
        );
        let answer = ureq::get(server.url(path)).call().unwrap();
        assert_eq!(answer.status(), 200, "GET {path}");
    }

    // The Service sends to the same port, to the Deployment's pods.
    let service = one(&docs, "Service");
    let deployment = one(&docs, "Deployment");
    for port in service["spec"]["ports"].as_array().unwrap() {
        assert_eq!(port_number(&container, &port["targetPort"]), container_port);
    }
    let selector = service["spec"]["selector"].as_object().unwrap();
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    for (key, value) in selector {
        assert_eq!(&labels[key], value, "the Service selects the pods by {key}");
    }
    assert!(deployment["spec"]["replicas"].as_u64().unwrap() >= 2);

    // The image exposes it and listens on it by default.
    let stage = runtime_stage();
    assert_eq!(instruction(&stage, "EXPOSE"), [container_port.to_string()]);
    let cmd: Vec<String> = serde_json::from_str(instruction(&stage, "CMD")[0]).unwrap();
    assert_eq!(
        option(&cmd, "--listen"),
        Some(format!("0.0.0.0:{container_port}").as_str())
    );
}

#[test]
fn the_image_runs_as_a_non_root_user() {
    let stage = runtime_stage();
    let users = instruction(&stage, "USER");
    let user = users.last().expect("the runtime stage sets USER");
    let uid = user.split(':').next().unwrap();
    assert!(uid != "0" && uid != "root", "USER {user}");
    // Kubernetes checks runAsNonRoot against a number.
    let uid: u64 = uid.parse().expect("USER is numeric");
    let docs = manifests();
    let pod = &one(&docs, "Deployment")["spec"]["template"]["spec"];
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert_eq!(pod["securityContext"]["runAsUser"].as_u64(), Some(uid));
    let container = container(&docs);
    assert_eq!(container["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(
        container["securityContext"]["allowPrivilegeEscalation"],
        false
    );
}

#[test]
fn resources_are_requested_and_limited() {
    let docs = manifests();
    let container = container(&docs);
    for bound in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            let value = &container["resources"][bound][resource];
            assert!(
                value.is_string() || value.is_number(),
                "resources.{bound}.{resource} is not set"
            );
        }
    }
    // The autoscaler scales this Deployment, on CPU (which it needs requests for).
    let hpa = one(&docs, "HorizontalPodAutoscaler");
    let deployment = one(&docs, "Deployment");
    assert_eq!(hpa["spec"]["scaleTargetRef"]["kind"], "Deployment");
    assert_eq!(
        hpa["spec"]["scaleTargetRef"]["name"],
        deployment["metadata"]["name"]
    );
    assert!(
        hpa["spec"]["minReplicas"].as_u64().unwrap()
            <= hpa["spec"]["maxReplicas"].as_u64().unwrap()
    );
}

#[test]
fn kustomization_lists_every_manifest() {
    let dir = common::repo().join("deploy");
    let text = std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap();
    let kustomization: Value = serde_saphyr::from_str(&text).unwrap();
    let mut listed = strings(&kustomization["resources"]);
    listed.sort();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && n != "kustomization.yaml")
        .collect();
    files.sort();
    assert_eq!(listed, files);
}

/// The path a volume of the pod is mounted at in the container, and the volume.
fn mounts(docs: &[(String, Value)]) -> Vec<(String, Value)> {
    let deployment = one(docs, "Deployment");
    let volumes = deployment["spec"]["template"]["spec"]["volumes"]
        .as_array()
        .unwrap();
    container(docs)["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let volume = volumes
                .iter()
                .find(|v| v["name"] == m["name"])
                .unwrap_or_else(|| panic!("no volume {}", m["name"]));
            (m["mountPath"].as_str().unwrap().to_owned(), volume.clone())
        })
        .collect()
}

/// The ConfigMap named `name`.
fn config_map<'a>(docs: &'a [(String, Value)], name: &Value) -> &'a Value {
    of_kind(docs, "ConfigMap")
        .into_iter()
        .find(|c| &c["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no ConfigMap {name}"))
}

#[test]
fn packs_and_params_come_from_the_config_maps_and_load() {
    let docs = manifests();
    let container = container(&docs);
    let args = strings(&container["args"]);
    let mounts = mounts(&docs);
    let packs = option(&args, "--packs").unwrap();
    let params = option(&args, "--params").unwrap();

    // --packs is a folder where a ConfigMap is mounted; its keys are packs.
    let (_, volume) = mounts
        .iter()
        .find(|(path, _)| path == packs)
        .unwrap_or_else(|| panic!("--packs {packs} is not a mounted folder"));
    let pack_map = config_map(&docs, &volume["configMap"]["name"]);
    // --params is a key of the ConfigMap mounted at its folder.
    let (folder, key) = params.rsplit_once('/').unwrap();
    let (_, volume) = mounts
        .iter()
        .find(|(path, _)| path == folder)
        .unwrap_or_else(|| panic!("--params {params} is not in a mounted folder"));
    let params_map = config_map(&docs, &volume["configMap"]["name"]);
    let params_text = params_map["data"][key]
        .as_str()
        .unwrap_or_else(|| panic!("ConfigMap has no key {key}"));

    // The server starts with them, as the pod would, and lists them in a report.
    let dir = common::fresh_dir("serve-deploy-config");
    let packs_dir = dir.join("packs");
    std::fs::create_dir(&packs_dir).unwrap();
    let mut ids = Vec::new();
    for (key, text) in pack_map["data"].as_object().unwrap() {
        assert!(key.ends_with(".yaml"), "{key}: --packs reads *.yaml only");
        let text = text.as_str().unwrap();
        std::fs::write(packs_dir.join(key), text).unwrap();
        let pack: Value = serde_saphyr::from_str(text).unwrap();
        ids.push(pack["id"].as_str().unwrap().to_owned());
    }
    assert!(!ids.is_empty());
    let params_file = dir.join("params.yaml");
    std::fs::write(&params_file, params_text).unwrap();
    let server = Server::start(&[
        "--packs",
        packs_dir.to_str().unwrap(),
        "--params",
        params_file.to_str().unwrap(),
    ]);
    let body =
        std::fs::read_to_string(common::repo().join("examples/eee-abs-housing.yaml")).unwrap();
    let report = ureq::post(server.url("/v1/evaluate?at=2026-12-01&format=json"))
        .send(body.as_str())
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    for id in &ids {
        assert!(
            report.contains(&format!("\"{id}\"")),
            "the report lists {id}"
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_plugin_cache_and_the_tokens_are_where_the_pod_can_have_them() {
    let docs = manifests();
    let container = container(&docs);
    let mounts = mounts(&docs);
    // The root filesystem is read-only: the compiled-plugin cache is in an emptyDir.
    let cache = container["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "RECERT_CACHE_DIR")
        .expect("RECERT_CACHE_DIR is set")["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        mounts.iter().any(|(path, volume)| {
            volume.get("emptyDir").is_some() && Path::new(&cache).starts_with(path)
        }),
        "{cache} is not in a writable emptyDir"
    );
    // The tokens file is in the mounted Secret.
    let args = strings(&container["args"]);
    let tokens = option(&args, "--tokens").expect("the pods require tokens");
    let (folder, _) = tokens.rsplit_once('/').unwrap();
    assert!(
        mounts
            .iter()
            .any(|(path, volume)| path == folder && volume.get("secret").is_some()),
        "--tokens {tokens} is not in a mounted Secret"
    );
}

// ---- Authentication ----

/// A client that returns 4xx and 5xx answers instead of an error.
fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// A token file accepting `token`, in a fresh folder.
fn token_file(token: &str) -> PathBuf {
    use sha2::Digest;
    let dir = common::fresh_dir("serve-deploy-tokens");
    let digest = sha2::Sha256::digest(token.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let file = dir.join("tokens");
    std::fs::write(&file, format!("# the ops team\nsha256:{hex}\n")).unwrap();
    file
}

fn example() -> String {
    std::fs::read_to_string(common::repo().join("examples/eee-abs-housing.yaml")).unwrap()
}

#[test]
fn api_routes_need_a_right_token_and_the_probes_do_not() {
    let file = token_file("s3cret-token");
    let server = Server::start(&["--tokens", file.to_str().unwrap()]);
    let agent = client();
    let url = server.url("/v1/evaluate?at=2026-12-01");

    let mut missing = agent.post(&url).send(example().as_str()).unwrap();
    assert_eq!(missing.status(), 401);
    let challenge = missing.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value =
        serde_json::from_str(&missing.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(problem["status"], 401);

    let wrong = agent
        .post(&url)
        .header("Authorization", "Bearer s3cret-tokem")
        .send(example().as_str())
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(
        wrong.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    let basic = agent
        .post(&url)
        .header("Authorization", "Basic czNjcmV0LXRva2Vu")
        .send(example().as_str())
        .unwrap();
    assert_eq!(basic.status(), 401);
    // A path that is no route needs the token too: nothing tells what exists.
    let unknown = agent.get(server.url("/v1/nothing")).call().unwrap();
    assert_eq!(unknown.status(), 401);

    let mut right = agent
        .post(&url)
        .header("Authorization", "Bearer s3cret-token")
        .send(example().as_str())
        .unwrap();
    assert_eq!(right.status(), 200);
    let report: Value = serde_json::from_str(&right.body_mut().read_to_string().unwrap()).unwrap();
    assert!(report["verdict"].is_string());

    for open in ["/healthz", "/readyz", "/"] {
        let answer = agent.get(server.url(open)).call().unwrap();
        assert_eq!(answer.status(), 200, "GET {open} without a token");
    }
    drop(server);
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[test]
fn a_token_file_that_is_not_digests_is_refused_with_its_line() {
    let dir = common::fresh_dir("serve-deploy-badtokens");
    let file = dir.join("tokens");
    std::fs::write(&file, "# plain tokens do not belong here\ns3cret-token\n").unwrap();
    let run = common::recert(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--tokens",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{}:2:", file.display())),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("sha256:"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn listening_beyond_loopback_needs_tokens_or_a_deliberate_choice() {
    for listen in ["0.0.0.0:0", "[::]:0"] {
        let run = common::recert(&["serve", "--listen", listen]);
        assert_eq!(run.code, 2, "{listen}: {}", run.stderr);
        assert!(run.stderr.contains("--tokens"), "{}", run.stderr);
        assert!(
            run.stderr.contains("--allow-unauthenticated"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn listening_beyond_loopback_unauthenticated_when_asked() {
    // Past the check, the server goes on to load the packs: a missing
    // folder stops it there, before it listens anywhere.
    let run = common::recert(&[
        "serve",
        "--listen",
        "0.0.0.0:0",
        "--allow-unauthenticated",
        "--packs",
        "no-such-folder",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("--tokens"), "{}", run.stderr);
    assert!(run.stderr.contains("no-such-folder"), "{}", run.stderr);
}

// ---- Security headers ----

fn assert_security_headers(answer: &ureq::http::Response<ureq::Body>, what: &str) {
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .unwrap_or_else(|| panic!("{what}: no {name}"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{what}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(
        header("cross-origin-opener-policy"),
        "same-origin",
        "{what}"
    );
}

#[test]
fn every_answer_has_the_security_headers() {
    let file = token_file("s3cret-token");
    let open = Server::start(&[]);
    let locked = Server::start(&["--tokens", file.to_str().unwrap()]);
    let agent = client();

    let page = agent.get(open.url("/")).call().unwrap();
    assert_eq!(page.status(), 200);
    assert_security_headers(&page, "the page");

    let report = agent
        .post(open.url("/v1/evaluate?at=2026-12-01&format=html"))
        .send(example().as_str())
        .unwrap();
    assert_eq!(report.status(), 200);
    assert_security_headers(&report, "an HTML report");
    assert_eq!(report.headers()["cache-control"], "no-store");
    // The report's own <style> is allowed by its hash, nothing else inline.
    let csp = report.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("style-src 'self' 'sha256-"), "{csp}");

    let invalid = agent
        .post(open.url("/v1/evaluate"))
        .send("this: [is not a submission")
        .unwrap();
    assert_eq!(invalid.status(), 400);
    assert_security_headers(&invalid, "a 400");

    let missing = agent.get(open.url("/no-such-page")).call().unwrap();
    assert_eq!(missing.status(), 404);
    assert_security_headers(&missing, "a 404");

    let unauthorized = agent.get(locked.url("/v1/packs")).call().unwrap();
    assert_eq!(unauthorized.status(), 401);
    assert_security_headers(&unauthorized, "a 401");
    drop(locked);
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[test]
fn the_report_style_hash_is_the_hash_of_the_served_report_style() {
    use base64::Engine as _;
    use sha2::Digest;
    let server = Server::start(&[]);
    let mut report = client()
        .post(server.url("/v1/evaluate?at=2026-12-01&format=html"))
        .send(example().as_str())
        .unwrap();
    let csp = report.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = report.body_mut().read_to_string().unwrap();
    let start = html.find("<style>").unwrap() + "<style>".len();
    let end = html.find("</style>").unwrap();
    let digest = sha2::Sha256::digest(&html.as_bytes()[start..end]);
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert_eq!(html.matches("<style").count(), 1, "one style element");
    assert!(!html.contains(" style="), "no style attribute");
}
