import CCurl

/// Why a transfer got no (complete) response. `detail` comes from libcurl's error buffer, which
/// names at most a host and port, never a path, query or header.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, for callers that react differently to each.
    public enum Kind: Sendable, Equatable {
        case unreachable, timedOut, tls, cancelled, tooLarge, other
    }

    public let kind: Kind
    public let detail: String

    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind): \(detail)" }

    /// Classifies a libcurl result code; `message` is the error buffer's text, if any.
    init(code: CURLcode, message: String) {
        let text = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        self.init(kind: Self.kind(of: code), detail: text)
    }

    static func kind(of code: CURLcode) -> Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
            CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            .unreachable
        case CURLE_OPERATION_TIMEDOUT:
            .timedOut
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            .tls
        case CURLE_ABORTED_BY_CALLBACK:
            .cancelled
        default:
            .other
        }
    }
}

/// Turns a libcurl setup result into a thrown error.
@inline(__always)
func check(_ code: CURLcode, _ what: StaticString) throws(CurlError) {
    guard code == CURLE_OK else {
        throw CurlError(kind: .other, detail: "\(what): " + String(cString: curl_easy_strerror(code)))
    }
}
