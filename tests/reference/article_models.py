"""
The article's three models, transcribed verbatim (src/lib/tasks/article keeps the same code in
TypeScript). The article repeats AttentionModule before each model, identically; it appears
once here. Nothing is fixed: these are the references that show the models fail as written.
"""

import torch
import torch.nn as nn


class AttentionModule(nn.Module):
    def __init__(self, input_dim, hidden_dim):
        super(AttentionModule, self).__init__()
        self.relu = nn.ReLU()
        self.attention = nn.Linear(input_dim, hidden_dim)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, input):
        x = self.relu(input)
        attention_weight = self.attention(x)
        attention_weight = self.softmax(attention_weight)
        output = torch.mul(x, attention_weight)
        return output


class VideoClassifier(nn.Module):
    def __init__(self, attention_input_dim, attention_hidden_dim, num_classes):
        super(VideoClassifier, self).__init__()
        self.attention = AttentionModule(attention_input_dim, attention_hidden_dim)
        self.fc = nn.Linear(attention_input_dim, num_classes)

    def forward(self, input):
        x = self.attention(input)
        x = torch.mean(x, dim=1)
        x = self.fc(x)
        return x


class ObjectTracker(nn.Module):
    def __init__(self, attention_input_dim, attention_hidden_dim, num_objects):
        super(ObjectTracker, self).__init__()
        self.attention = AttentionModule(attention_input_dim, attention_hidden_dim)
        self.fc = nn.Linear(attention_input_dim, 4 * num_objects)

    def forward(self, input):
        x = self.attention(input)
        x = torch.mean(x, dim=(2, 3))
        x = self.fc(x)
        return x


class VideoGenerator(nn.Module):
    def __init__(self, attention_input_dim, attention_hidden_dim, num_frames):
        super(VideoGenerator, self).__init__()
        self.attention = AttentionModule(attention_input_dim, attention_hidden_dim)
        self.decoder = nn.Linear(attention_input_dim, num_frames)

    def forward(self, input):
        x = self.attention(input)
        x = torch.mean(x, dim=1)
        x = self.decoder(x)
        return x
