import Foundation
import MicroHTTP

extension HTTPResponse {
    /// A JSON response from a `JSONSerialization` object, members sorted and slashes unescaped.
    public static func json(_ status: Int, _ object: Any, headers: [(name: String, value: String)] = []) -> HTTPResponse
    {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return .json(status, body: [UInt8](data), headers: headers)
    }
}
