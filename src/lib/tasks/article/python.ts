/**
 * The article's PyTorch for its three models, verbatim, so an exported model is the code the
 * article printed (its AttentionModule comes from `$lib/train/export`, also verbatim).
 */

export const VIDEO_CLASSIFIER_PY = `class VideoClassifier(nn.Module):
    def __init__(self, attention_input_dim, attention_hidden_dim, num_classes):
        super(VideoClassifier, self).__init__()
        self.attention = AttentionModule(attention_input_dim, attention_hidden_dim)
        self.fc = nn.Linear(attention_input_dim, num_classes)

    def forward(self, input):
        x = self.attention(input)
        x = torch.mean(x, dim=1)
        x = self.fc(x)
        return x`;

export const OBJECT_TRACKER_PY = `class ObjectTracker(nn.Module):
    def __init__(self, attention_input_dim, attention_hidden_dim, num_objects):
        super(ObjectTracker, self).__init__()
        self.attention = AttentionModule(attention_input_dim, attention_hidden_dim)
        self.fc = nn.Linear(attention_input_dim, 4 * num_objects)

    def forward(self, input):
        x = self.attention(input)
        x = torch.mean(x, dim=(2, 3))
        x = self.fc(x)
        return x`;

export const VIDEO_GENERATOR_PY = `class VideoGenerator(nn.Module):
    def __init__(self, attention_input_dim, attention_hidden_dim, num_frames):
        super(VideoGenerator, self).__init__()
        self.attention = AttentionModule(attention_input_dim, attention_hidden_dim)
        self.decoder = nn.Linear(attention_input_dim, num_frames)

    def forward(self, input):
        x = self.attention(input)
        x = torch.mean(x, dim=1)
        x = self.decoder(x)
        return x`;
