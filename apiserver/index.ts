// The API server's public surface.
export { type ApiServer, type ApiServerOptions, startApiServer } from "./server.js";
