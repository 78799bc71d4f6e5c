/** Lets queued tasks (a worker's messages, a click) run. setImmediate and MessageChannel avoid setTimeout's 4 ms clamp. */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => {
		if (typeof globalThis.setImmediate === 'function') {
			globalThis.setImmediate(resolve);
		} else if (typeof MessageChannel === 'function') {
			const channel = new MessageChannel();
			channel.port1.onmessage = () => {
				channel.port1.close();
				resolve();
			};
			channel.port2.postMessage(null);
		} else {
			setTimeout(resolve, 0);
		}
	});
}
