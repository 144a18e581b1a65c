import Hummingbird
import PaknCore
import PaknStoreAPI
