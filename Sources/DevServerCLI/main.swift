import DevServer
import Dispatch
import Foundation

/// oauth-relay-dev-server: parses options, starts the server, and stops on SIGINT/SIGTERM.
func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

let options: CommandLineOptions
do {
    options = try CommandLineOptions(
        arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    standardError("oauth-relay-dev-server: \(error.description)")
    exit(2)
}
if options.showHelp {
    print(HelpText.text)
    exit(0)
}

let host = options.configuration.host
if !(host.hasPrefix("127.") || host == "::1") {
    standardError(
        "oauth-relay-dev-server: warning: listening on \(host), reachable from other machines; "
            + "this is a development server with throw-away keys: prefer 127.0.0.1")
}

let server: DevServer
do {
    server = try DevServer(options.configuration)
} catch {
    standardError("oauth-relay-dev-server: \(error)")
    exit(1)
}

if let portFile = options.portFile {
    do {
        try Data("\(server.port)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
    } catch {
        standardError("oauth-relay-dev-server: cannot write the port to \(portFile): \(error.localizedDescription)")
        server.stop()
        exit(1)
    }
}

var sources: [DispatchSourceSignal] = []
for signalNumber in [SIGINT, SIGTERM] {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        server.stop()
        standardError("stopped")
        exit(0)
    }
    source.resume()
    sources.append(source)
}

standardError("listening on \(server.baseURL)")
if options.configuration.roles.contains(.authorizationServer) {
    standardError("issuer \(server.issuer)")
}
dispatchMain()
