import Foundation
import MicroHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension HTTPClient {
    /// POSTs an `application/x-www-form-urlencoded` body and asks for JSON.
    func postForm(_ url: URL, _ form: [(name: String, value: String)]) async throws -> HTTPClientResponse {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpBody = Data(FormEncoding.encode(form).utf8)
        return try await send(request)
    }
}
