// Every page is static: the engine runs in the browser, so there is nothing to render on a server.
export const prerender = true;
