import FoundationEssentials
import MicroHTTP

extension HTTPClient {
    /// POSTs an `application/x-www-form-urlencoded` body and asks for JSON.
    func postForm(_ url: URL, _ form: [(name: String, value: String)]) async throws -> HTTPClientResponse {
        var request = OutgoingRequest(url: url)
        request.method = "POST"
        request.setHeader("Content-Type", "application/x-www-form-urlencoded")
        request.setHeader("Accept", "application/json")
        request.body = Data(FormEncoding.encode(form).utf8)
        return try await send(request)
    }
}
