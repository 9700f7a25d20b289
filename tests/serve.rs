//! `recert serve`: the server on an ephemeral loopback port.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::serve::Server;

#[test]
fn the_probes_answer() {
    let server = Server::start(&[]);
    let health = ureq::get(server.url("/healthz"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(health, "ok\n");
    let ready = ureq::get(server.url("/readyz")).call().unwrap();
    assert_eq!(ready.status(), 200);
}

#[test]
fn an_evaluation_gives_the_bytes_check_writes() {
    let server = Server::start(&[]);
    let example = "examples/eee-abs-housing.yaml";
    let body = std::fs::read_to_string(common::repo().join(example)).unwrap();
    let served = ureq::post(server.url("/v1/evaluate?at=2026-12-01&format=json"))
        .send(body.as_str())
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let checked = common::recert(&["check", example, "--at", "2026-12-01", "--format", "json"]);
    // The report names its input: the file for check, the body for serve.
    let served = served.replace("\"request body\"", &format!("\"{example}\""));
    let served: serde_json::Value = serde_json::from_str(&served).unwrap();
    let checked: serde_json::Value = serde_json::from_str(&checked.stdout).unwrap();
    assert_eq!(served["verdict"], checked["verdict"]);
    assert_eq!(served["findings"], checked["findings"]);
}
