/**
 * The trackers in PyTorch, for `exportToPyTorch`: each class computes what its TypeScript
 * namesake computes, with the same attribute names, so the exported state dict loads as it is.
 * `SpatialAttention` comes from `$lib/train/export`.
 */

export const FRAME_ENCODER_PY = `def coordinate_planes(h, w):
    """Each pixel's x and y from -1 to 1, as two planes (1, 2, h, w)."""
    xs = 2 * torch.arange(w, dtype=torch.float64) / (w - 1) - 1 if w > 1 else torch.zeros(w, dtype=torch.float64)
    ys = 2 * torch.arange(h, dtype=torch.float64) / (h - 1) - 1 if h > 1 else torch.zeros(h, dtype=torch.float64)
    return torch.stack([xs.expand(h, w), ys[:, None].expand(h, w)]).unsqueeze(0).float()


class FrameEncoder(nn.Module):
    """
    The trackers' frame encoder: conv 3x3 -> ReLU -> max-pool 2 -> conv 3x3 -> ReLU -> conv 3x3 -> ReLU.
    With coordinates, x and y planes join each frame as input channels (CoordConv).
    (frames, H, W) -> (frames, channels, H/2, W/2).
    """

    def __init__(self, channels, coordinates):
        super().__init__()
        self.coordinates = coordinates
        self.conv1 = nn.Conv2d(3 if coordinates else 1, channels, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv3 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, frames):
        n, h, w = frames.shape
        x = frames.reshape(n, 1, h, w)
        if self.coordinates:
            x = torch.cat([x, coordinate_planes(h, w).expand(n, 2, h, w)], dim=1)
        x = self.pool(self.conv1(x).relu())
        x = self.conv2(x).relu()
        return self.conv3(x).relu()`;

const TRACKER_PY = `def cell_centres(h, w):
    """The centre of every cell of an h x w map as fractions of the frame, row-major: (h * w, 2), x then y."""
    ys = (torch.arange(h, dtype=torch.float64) + 0.5) / h
    xs = (torch.arange(w, dtype=torch.float64) + 0.5) / w
    return torch.stack([xs.expand(h, w), ys[:, None].expand(h, w)], dim=-1).reshape(h * w, 2).float()


def box_mask(boxes, h, w):
    """
    For each box (x0, y0, x1, y1 as fractions of the frame), how much of it falls in each cell of an
    h x w grid, as weights summing to 1 (uniform if the box covers no cell): (n, 4) -> (n, h * w).
    """
    boxes = boxes.double()

    def overlap(cells, lo, hi):
        edges = torch.arange(cells + 1, dtype=torch.float64) / cells
        return (torch.minimum(edges[1:], hi[:, None]) - torch.maximum(edges[:-1], lo[:, None])).clamp(min=0)

    mask = (overlap(h, boxes[:, 1], boxes[:, 3])[:, :, None] * overlap(w, boxes[:, 0], boxes[:, 2])[:, None, :]).reshape(-1, h * w)
    total = mask.sum(dim=1, keepdim=True)
    covered = total > 0
    mask = torch.where(covered, mask / torch.where(covered, total, torch.ones_like(total)), torch.full_like(mask, 1 / (h * w)))
    return mask.float()


def box_from_centre(centre, size):
    """Boxes x0, y0, x1, y1 from centres (x, y) and sizes (width, height)."""
    half = size * 0.5
    return torch.cat([centre - half, centre + half], dim=-1)


class Tracker(nn.Module):
    """Both trackers: encode every frame, and pool the first frame's features inside its given box into a template."""

    def __init__(self, channels, coordinates):
        super().__init__()
        self.encoder = FrameEncoder(channels, coordinates)

    def encode(self, clips, first_box):
        # clips: (batch, frames, H, W), first_box: (batch, 4) -> features (batch * frames, C, h, w), template (batch, C)
        b, t, height, width = clips.shape
        features = self.encoder(clips.reshape(b * t, height, width))
        _, c, h, w = features.shape
        first = features.reshape(b, t, c, h * w)[:, 0]
        template = (first @ box_mask(first_box, h, w).unsqueeze(-1)).squeeze(-1)
        return features, template`;

export const ATTENTION_TRACKER_PY = `${TRACKER_PY}


class AttentionTracker(Tracker):
    """
    Spatial attention queried with the template finds the target in every frame; the box centre is
    the attention map's expected cell position (soft-argmax), its size a read-out of the attended
    features. Returns (boxes (batch, frames, 4), weights (batch, frames, h, w)).
    """

    def __init__(self, channels):
        super().__init__(channels, False)
        self.attention = SpatialAttention(channels, query_dim=channels)
        self.size = nn.Linear(channels, 2)

    def forward(self, clips, first_box):
        b, t = clips.shape[:2]
        features, template = self.encode(clips, first_box)
        _, c, h, w = features.shape
        query = template.unsqueeze(1).expand(b, t, c).reshape(b * t, c)
        pooled, weights = self.attention(features, query)
        centre = weights.reshape(b * t, h * w) @ cell_centres(h, w)
        size = self.size(pooled).sigmoid()
        return box_from_centre(centre, size).reshape(b, t, 4), weights.reshape(b, t, h, w)`;

export const POOLING_TRACKER_PY = `${TRACKER_PY}


class PoolingTracker(Tracker):
    """
    The baseline: global average pooling instead of attention, and an MLP reads the box out of the
    frame's mean features and the template. Returns (boxes (batch, frames, 4), None: no attention).
    """

    def __init__(self, channels, hidden):
        super().__init__(channels, True)
        self.fc1 = nn.Linear(2 * channels, hidden)
        self.fc2 = nn.Linear(hidden, 4)

    def forward(self, clips, first_box):
        b, t = clips.shape[:2]
        features, template = self.encode(clips, first_box)
        c = features.shape[1]
        mean = features.mean(dim=(2, 3))
        query = template.unsqueeze(1).expand(b, t, c).reshape(b * t, c)
        out = self.fc2(self.fc1(torch.cat([mean, query], dim=1)).relu()).sigmoid()
        return box_from_centre(out[:, :2], out[:, 2:]).reshape(b, t, 4), None`;
