/**
 * Save bytes or text as a file through the browser's download, without a server: a Blob URL on a
 * temporary link, clicked, then released.
 *
 * @example
 * downloadFile('progress.json', JSON.stringify(file), 'application/json');
 */
export function downloadFile(name: string, data: BlobPart, type: string): void {
	const url = URL.createObjectURL(new Blob([data], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.style.display = 'none';
	document.body.append(link);
	link.click();
	link.remove();
	// The download has started from the click; release the Blob once the browser has it.
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
