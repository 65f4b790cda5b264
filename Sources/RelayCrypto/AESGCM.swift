import COpenSSL

/// AES-256-GCM authenticated encryption through OpenSSL's EVP interface.
public enum AESGCM {
    public static let keySize = 32
    public static let nonceSize = 12
    public static let tagSize = 16

    /// The output of `seal`: ciphertext and its 16-byte tag.
    public struct Sealed: Sendable, Equatable {
        public var ciphertext: [UInt8]
        public var tag: [UInt8]

        public init(ciphertext: [UInt8], tag: [UInt8]) {
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// Encrypts `plaintext` and authenticates it together with `associatedData`.
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []
    ) throws -> Sealed {
        try checkSizes(key: key, nonce: nonce, operation: "AES-256-GCM seal")
        let context = try CipherContext()
        try context.begin(encrypt: true, key: key, nonce: nonce)
        try context.addAssociatedData(associatedData)
        var ciphertext = try context.update(plaintext)
        ciphertext += try context.finish()
        var tag = [UInt8](repeating: 0, count: tagSize)
        let status = tag.withUnsafeMutableBytes { buffer in
            EVP_CIPHER_CTX_ctrl(
                context.pointer, relay_evp_ctrl_gcm_get_tag(), Int32(tagSize), buffer.baseAddress)
        }
        guard status == 1 else { throw CryptoError(.library, operation: "AES-256-GCM tag") }
        return Sealed(ciphertext: ciphertext, tag: tag)
    }

    /// Decrypts and verifies. Throws `CryptoError.Code.authenticationFailed` on any tampering
    /// or a wrong key; no plaintext is returned in that case.
    public static func open(
        _ sealed: Sealed, key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        try checkSizes(key: key, nonce: nonce, operation: "AES-256-GCM open")
        guard sealed.tag.count == tagSize else {
            throw CryptoError(.invalidArgument, operation: "AES-256-GCM open")
        }
        let context = try CipherContext()
        try context.begin(encrypt: false, key: key, nonce: nonce)
        try context.addAssociatedData(associatedData)
        var plaintext = try context.update(sealed.ciphertext)
        var tag = sealed.tag
        let status = tag.withUnsafeMutableBytes { buffer in
            EVP_CIPHER_CTX_ctrl(
                context.pointer, relay_evp_ctrl_gcm_set_tag(), Int32(tagSize), buffer.baseAddress)
        }
        guard status == 1 else { throw CryptoError(.library, operation: "AES-256-GCM tag") }
        do {
            plaintext += try context.finish()
        } catch {
            SecureZero.wipe(&plaintext)
            throw CryptoError(.authenticationFailed, operation: "AES-256-GCM open")
        }
        return plaintext
    }

    private static func checkSizes(key: [UInt8], nonce: [UInt8], operation: String) throws {
        guard key.count == keySize, nonce.count == nonceSize else {
            throw CryptoError(.invalidArgument, operation: operation)
        }
    }
}

/// Owns one `EVP_CIPHER_CTX` for AES-256-GCM.
private final class CipherContext {
    let pointer: OpaquePointer
    private var encrypting = true

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw CryptoError(.library, operation: "EVP_CIPHER_CTX_new")
        }
        pointer = context
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }

    func begin(encrypt: Bool, key: [UInt8], nonce: [UInt8]) throws {
        encrypting = encrypt
        let initialise = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex
        guard initialise(pointer, EVP_aes_256_gcm(), nil, nil, nil) == 1,
            EVP_CIPHER_CTX_ctrl(pointer, relay_evp_ctrl_gcm_set_ivlen(), Int32(nonce.count), nil)
                == 1
        else { throw CryptoError(.library, operation: "AES-256-GCM init") }
        let status = key.withUnsafeBufferPointer { keyBuffer in
            nonce.withUnsafeBufferPointer { nonceBuffer in
                initialise(pointer, nil, nil, keyBuffer.baseAddress, nonceBuffer.baseAddress)
            }
        }
        guard status == 1 else { throw CryptoError(.library, operation: "AES-256-GCM key") }
    }

    func addAssociatedData(_ data: [UInt8]) throws {
        guard !data.isEmpty else { return }
        var length: Int32 = 0
        let update = encrypting ? EVP_EncryptUpdate : EVP_DecryptUpdate
        let status = data.withUnsafeBufferPointer { buffer in
            update(pointer, nil, &length, buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else { throw CryptoError(.library, operation: "AES-256-GCM AAD") }
    }

    func update(_ input: [UInt8]) throws -> [UInt8] {
        guard !input.isEmpty else { return [] }
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var length: Int32 = 0
        let update = encrypting ? EVP_EncryptUpdate : EVP_DecryptUpdate
        let status = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                update(
                    pointer, outBuffer.baseAddress, &length, inBuffer.baseAddress,
                    Int32(inBuffer.count))
            }
        }
        guard status == 1 else { throw CryptoError(.library, operation: "AES-256-GCM update") }
        return Array(output.prefix(Int(length)))
    }

    func finish() throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        let final = encrypting ? EVP_EncryptFinal_ex : EVP_DecryptFinal_ex
        let status = output.withUnsafeMutableBufferPointer { buffer in
            final(pointer, buffer.baseAddress, &length)
        }
        guard status == 1 else { throw CryptoError(.authenticationFailed, operation: "AES-256-GCM") }
        return Array(output.prefix(Int(length)))
    }
}
