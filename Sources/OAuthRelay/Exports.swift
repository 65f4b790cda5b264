@_exported import TokenStores
