/**
 * The classifiers in PyTorch, for `exportToPyTorch`: each class computes what its TypeScript
 * namesake computes, with the same attribute names, so the exported state dict loads as it is.
 * `AttentionPooling` and the article's `AttentionModule` come from `$lib/train/export`.
 */

export const FRAME_ENCODER_PY = `class FrameEncoder(nn.Module):
    """
    Encodes every frame of a clip on its own, with the same weights: conv 3x3 -> ReLU -> max-pool 2
    -> conv 3x3 -> ReLU -> global max pool -> Linear. (batch, frames, H, W) -> (batch, frames, dim).
    """

    def __init__(self, channels, dim):
        super().__init__()
        self.dim = dim
        self.conv1 = nn.Conv2d(1, channels[0], 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(channels[0], channels[1], 3, padding=1)
        self.fc = nn.Linear(channels[1], dim)

    def forward(self, clips):
        b, t, h, w = clips.shape
        # Frames become the batch of the 2-D layers: every frame goes through the same weights.
        x = clips.reshape(b * t, 1, h, w)
        x = self.pool(self.conv1(x).relu())
        x = self.conv2(x).relu().amax(dim=(2, 3))
        return self.fc(x).reshape(b, t, self.dim)`;

export const ATTENTION_CLASSIFIER_PY = `class AttentionClassifier(nn.Module):
    """Temporal attention pooling over the frames' features, then a linear classifier. Returns (logits, weights)."""

    def __init__(self, channels, dim, num_classes):
        super().__init__()
        self.encoder = FrameEncoder(channels, dim)
        self.pool = AttentionPooling(dim)
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, clips):
        # clips: (batch, frames, H, W) -> logits (batch, num_classes), weights (batch, frames)
        pooled, weights = self.pool(self.encoder(clips))
        return self.fc(pooled), weights`;

export const MEAN_POOL_CLASSIFIER_PY = `class MeanPoolClassifier(nn.Module):
    """The baseline: the plain mean of the frames' features, then a linear classifier. Returns (logits, weights = 1/T)."""

    def __init__(self, channels, dim, num_classes):
        super().__init__()
        self.encoder = FrameEncoder(channels, dim)
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, clips):
        features = self.encoder(clips)
        b, t = features.shape[:2]
        return self.fc(features.mean(dim=1)), torch.full((b, t), 1 / t)`;

export const ARTICLE_CLASSIFIER_PY = `class ArticleClassifier(nn.Module):
    """
    The article's VideoClassifier over the encoder's features: its AttentionModule (softmax over
    time, separately for every feature), the mean over time, a linear classifier.
    Returns (logits, weights averaged over features, per-feature weights).
    """

    def __init__(self, channels, dim, num_classes):
        super().__init__()
        self.encoder = FrameEncoder(channels, dim)
        self.attention = AttentionModule(dim, dim)
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, clips):
        features = self.encoder(clips)
        logits = self.fc(self.attention(features).mean(dim=1))
        # The block returns only the product; its weights are read out again from its own layers.
        feature_weights = self.attention.attention(features.relu()).softmax(dim=1)
        return logits, feature_weights.mean(dim=2), feature_weights`;
