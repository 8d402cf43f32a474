// Generated from the OpenAPI document (`chorus openapi`) by scripts/api-types.mjs.
// Do not edit: run `npm run api:types` after changing the API.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and readiness with a report per dependency. */
        get: operations["health_handler"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Answers 200 while the process runs (for restart decisions). */
        get: operations["live_handler"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics in the text exposition format. */
        get: operations["metrics_handler"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Check: {
            status: components["schemas"]["CheckStatus"];
            error?: string | null;
        };
        /** @enum {string} */
        CheckStatus: "up" | "down";
        /** @description Every error body (CONTRACT §1.3): `{"error": "<text>"}`. */
        ErrorBody: {
            /**
             * @description The contract's text for this failure, shown verbatim by clients.
             * @example Chat not found or access denied
             */
            error: string;
        };
        /** @description The body of `/health`: every dependency's state. */
        HealthReport: {
            status: components["schemas"]["HealthStatus"];
            service: string;
            /** @description One entry per dependency, named `<service>.<dependency>`. */
            checks: {
                [key: string]: components["schemas"]["Check"];
            };
        };
        /** @enum {string} */
        HealthStatus: "ok" | "degraded";
        /** @description The body of `/health/live`. */
        Liveness: {
            status: components["schemas"]["HealthStatus"];
            service: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health_handler: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every dependency answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
            /** @description A dependency is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
        };
    };
    live_handler: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
        };
    };
    metrics_handler: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
}
