/** Pooling geometry: P independent H×W planes (N·C of them), pooled to OH×OW each. */
export interface PoolGeometry {
	H: number;
	W: number;
	kH: number;
	kW: number;
	sH: number;
	sW: number;
	pH: number;
	pW: number;
	OH: number;
	OW: number;
}

/** Geometry of one 2-D convolution over a single C×H×W image. */
export interface ConvGeometry extends PoolGeometry {
	C: number;
}
