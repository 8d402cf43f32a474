//! Compiles the protos with `protox` (pure Rust), so no system `protoc` is needed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "chorus/events/v1/envelope.proto",
        "chorus/auth/v1/auth.proto",
        "chorus/auth/v1/events.proto",
        "chorus/chat/v1/chat.proto",
        "chorus/chat/v1/events.proto",
        "chorus/message/v1/message.proto",
        "chorus/message/v1/events.proto",
        "chorus/presence/v1/presence.proto",
        "chorus/presence/v1/events.proto",
        "chorus/media/v1/media.proto",
    ];
    for file in &files {
        println!("cargo:rerun-if-changed={file}");
    }
    let descriptors = protox::compile(files, ["."])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(descriptors)?;
    Ok(())
}
